package io.flowtap.stats;

import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.windowing.ProcessAllWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * One update interval's interface totals into two records: {@code interface_stats}, each
 * interface's counts in the interval keyed by its name, and {@code global_stats}, the counts of
 * every interface since the job started (as Netify's agent keeps running totals there).
 */
final class StatsRecords
        extends ProcessAllWindowFunction<InterfaceTotals, TelemetryRecord, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private static final ValueStateDescriptor<InterfaceTotals> RUNNING =
            new ValueStateDescriptor<>("global-stats", TypeInformation.of(InterfaceTotals.class));

    private transient ObjectMapper mapper;

    @Override
    public void process(
            Context ctx, Iterable<InterfaceTotals> intervals, Collector<TelemetryRecord> out)
            throws Exception {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        Map<String, InterfaceTotals> byName = new TreeMap<>();
        for (InterfaceTotals t : intervals) {
            byName.merge(t.interfaceName, t, InterfaceTotals::plus);
        }
        ValueState<InterfaceTotals> running = ctx.globalState().getState(RUNNING);
        InterfaceTotals total = running.value();
        ObjectNode perInterface = mapper.createObjectNode();
        for (Map.Entry<String, InterfaceTotals> e : byName.entrySet()) {
            e.getValue().writeTo(perInterface.putObject(e.getKey()));
            total = total == null ? e.getValue() : total.plus(e.getValue());
        }
        running.update(total);
        perInterface.put("type", "interface_stats");
        long time = ctx.window().maxTimestamp();
        out.collect(record("interface_stats", time, perInterface));
        ObjectNode global = mapper.createObjectNode();
        total.writeTo(global);
        global.put("type", "global_stats");
        out.collect(record("global_stats", time, global));
    }

    /** The record with its keys in alphabetical order, as Netify's agent writes them. */
    private TelemetryRecord record(String type, long time, ObjectNode node) throws Exception {
        Map<String, JsonNode> fields = new TreeMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        ObjectNode sorted = mapper.createObjectNode();
        fields.forEach(sorted::set);
        return new TelemetryRecord(type, type, time, mapper.writeValueAsBytes(sorted));
    }
}
