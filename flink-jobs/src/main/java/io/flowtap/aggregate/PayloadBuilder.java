package io.flowtap.aggregate;

import io.flowtap.connectors.TelemetryRecord;
import io.flowtap.schema.AggregateRow;

import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.windowing.ProcessAllWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns one log interval's per-flow partial sums into the aggregator's payloads: rows summed by
 * dimensions, flat (a {@code stats} array, keys in alphabetical order) or nested (a tree keyed by
 * the dimension values in order), split every {@code batched_rows} rows.
 */
public final class PayloadBuilder
        extends ProcessAllWindowFunction<FlowUsage, TelemetryRecord, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** Side output: every row, for the Parquet dataset of the type. */
    public static final OutputTag<AggregateRow> ROWS =
            new OutputTag<>("aggregate-rows", new AvroTypeInfo<>(AggregateRow.class));

    private final AggregatorSpec spec;
    private transient ObjectMapper mapper;

    public PayloadBuilder(AggregatorSpec spec) {
        this.spec = spec;
    }

    @Override
    public void process(Context ctx, Iterable<FlowUsage> partials, Collector<TelemetryRecord> out)
            throws Exception {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        List<Row> rows = rows(spec, partials);
        long start = UsageWindows.start(ctx.window());
        long end = UsageWindows.end(ctx.window());
        for (Row r : rows) {
            ctx.output(ROWS, avro(spec, start, end, r));
        }
        int batch = spec.batchedRows() > 0 ? spec.batchedRows() : Math.max(1, rows.size());
        for (int from = 0; from < Math.max(1, rows.size()); from += batch) {
            List<Row> part = rows.subList(from, Math.min(rows.size(), from + batch));
            ObjectNode payload = payload(spec, start, end, part, mapper);
            out.collect(
                    new TelemetryRecord(
                            spec.recordType(),
                            spec.name(),
                            end,
                            mapper.writeValueAsBytes(payload)));
        }
    }

    static AggregateRow avro(AggregatorSpec spec, long start, long end, Row r) {
        Map<String, Object> d = r.dimensions();
        Map<String, Object> m = spec.type().metrics(r.sum(), r.flows());
        AggregateRow.Builder b =
                AggregateRow.newBuilder()
                        .setInstance(spec.name())
                        .setAggregatorType(spec.type().number())
                        .setIntervalStart(Instant.ofEpochMilli(start))
                        .setIntervalEnd(Instant.ofEpochMilli(end))
                        .setLocalMac((String) d.get("local_mac"))
                        .setLocalIp((String) d.get("local_ip"))
                        .setOtherIp((String) d.get("other_ip"))
                        .setOtherMac((String) d.get("other_mac"))
                        .setOtherPort((Integer) d.get("other_port"))
                        .setOtherType((String) d.get("other_type"))
                        .setProtocolId(
                                (Integer) d.getOrDefault("protocol_id", d.get("detected_protocol")))
                        .setProtocolName((String) d.get("detected_protocol_name"))
                        .setIpProtocol((Integer) d.get("ip_protocol"))
                        .setIpVersion((Integer) d.get("ip_version"))
                        .setVlanId((Integer) d.get("vlan_id"))
                        .setDigest((String) d.get("digest"))
                        .setInterface$((String) d.get("interface"))
                        .setInternal((Boolean) d.get("internal"))
                        .setLocalOrigin((Boolean) d.get("local_origin"))
                        .setUpload((Long) m.get("upload"))
                        .setDownload((Long) m.get("download"))
                        .setLocalBytes((Long) m.get("local_bytes"))
                        .setOtherBytes((Long) m.get("other_bytes"))
                        .setPackets((Long) m.get("packets"))
                        .setLocalPackets((Long) m.get("local_packets"))
                        .setOtherPackets((Long) m.get("other_packets"))
                        .setFlowCount((Integer) m.get("flow_count"));
        // Types 1 and 2 name the application "<id>.<tag>", Type 4 gives its id, Type 3 both.
        Object app = d.getOrDefault("application_id", d.get("detected_application"));
        if (app instanceof Integer id) {
            b.setApplicationId(id);
        }
        b.setApplicationName(
                (String)
                        d.getOrDefault(
                                "detected_application_name", app instanceof String ? app : null));
        if (b.getApplicationId() == null) {
            b.setApplicationId(r.sum().application);
        }
        return b.build();
    }

    /** One row: its dimension values and the sum of its flows' usage. */
    record Row(Map<String, Object> dimensions, FlowUsage sum, int flows) {}

    /** Rows in the order of their dimension values. */
    static List<Row> rows(AggregatorSpec spec, Iterable<FlowUsage> partials) {
        Map<String, FlowUsage> sums = new TreeMap<>();
        Map<String, Map<String, Object>> dims = new TreeMap<>();
        Map<String, Set<String>> flows = new TreeMap<>();
        for (FlowUsage u : partials) {
            Map<String, Object> d = spec.type().dimensions(u, spec.privacy());
            String key = d.toString();
            sums.merge(key, u, FlowUsage::plus);
            dims.putIfAbsent(key, d);
            flows.computeIfAbsent(key, k -> new HashSet<>()).add(u.flowId);
        }
        List<Row> out = new ArrayList<>();
        sums.forEach((k, sum) -> out.add(new Row(dims.get(k), sum, flows.get(k).size())));
        return out;
    }

    static ObjectNode payload(
            AggregatorSpec spec, long startMs, long endMs, List<Row> rows, ObjectMapper mapper) {
        ObjectNode p = mapper.createObjectNode();
        p.put("log_time_end", endMs / 1000);
        p.put("log_time_start", startMs / 1000);
        if (!spec.nested()) {
            ArrayNode stats = p.putArray("stats");
            for (Row r : rows) {
                Map<String, Object> fields = new TreeMap<>(r.dimensions());
                fields.putAll(spec.type().metrics(r.sum(), r.flows()));
                stats.add(mapper.valueToTree(fields));
            }
            return p;
        }
        ObjectNode tree = p.putObject("stats");
        List<String> path = spec.type().path;
        for (Row r : rows) {
            ObjectNode node = tree;
            for (String name : path) {
                if (r.dimensions().containsKey(name)) {
                    String key = String.valueOf(r.dimensions().get(name));
                    node = node.has(key) ? (ObjectNode) node.get(key) : node.putObject(key);
                }
            }
            ObjectNode leaf = node;
            for (String name : spec.type().leafDimensions) {
                if (r.dimensions().containsKey(name) && !leaf.has(name)) {
                    leaf.set(name, mapper.valueToTree(r.dimensions().get(name)));
                }
            }
            // Rows that differ only in a leaf dimension share a leaf: their metrics add up.
            for (Map.Entry<String, Object> m :
                    new TreeMap<>(spec.type().metrics(r.sum(), r.flows())).entrySet()) {
                if (leaf.has(m.getKey()) && m.getValue() instanceof Number n) {
                    leaf.put(m.getKey(), leaf.get(m.getKey()).asLong() + n.longValue());
                } else {
                    leaf.set(m.getKey(), mapper.valueToTree(m.getValue()));
                }
            }
        }
        return p;
    }
}
