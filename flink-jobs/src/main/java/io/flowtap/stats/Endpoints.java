package io.flowtap.stats;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.aggregate.UsageWindows;
import io.flowtap.connectors.TelemetryRecord;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessAllWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Netify's {@code endpoints} record: per update interval, every MAC address seen at a local end of
 * a flow with the IP addresses it used. A flow's local end counts (per the direction convention)
 * when its address is in a local network, and its other end too when that is local as well ({@code
 * other_type} {@code local}); an end without a MAC address (raw IP links) or with the unspecified
 * address (0.0.0.0, ::) does not. Sightings are gathered per local MAC in parallel, then merged
 * into one record per interval.
 */
public final class Endpoints {
    public static final String RECORD_TYPE = "endpoints";

    private static final TypeInformation<Map<String, List<String>>> SIGHTINGS =
            Types.MAP(Types.STRING, Types.LIST(Types.STRING));

    private static final String NO_MAC = "00:00:00:00:00:00";

    private Endpoints() {}

    public static DataStream<TelemetryRecord> apply(
            DataStream<FlowUsage> usage, long updateIntervalMs) {
        // The keyed windows stand for [k·u, (k+1)·u) and emit at (k+1)·u: the merging windows are
        // shifted by one ms to hold exactly that instant.
        return usage.filter(Endpoints::hasEndpoint)
                .uid("endpoint-flows")
                .name("Endpoints: flows")
                .keyBy(u -> u.localMac)
                .window(new UsageWindows(updateIntervalMs))
                .aggregate(new Sightings(), SIGHTINGS, SIGHTINGS)
                .uid("endpoint-sightings")
                .name("Endpoints: sightings per MAC")
                .windowAll(
                        TumblingEventTimeWindows.of(
                                Duration.ofMillis(updateIntervalMs), Duration.ofMillis(1)))
                .process(new EndpointRecords(), TypeInformation.of(TelemetryRecord.class))
                .uid("endpoints")
                .name("Endpoints");
    }

    static boolean hasEndpoint(FlowUsage u) {
        return localEnd(u) || otherEnd(u);
    }

    private static boolean localEnd(FlowUsage u) {
        return u.localInLocalNetwork && counts(u.localMac, u.localAddr);
    }

    private static boolean otherEnd(FlowUsage u) {
        return "local".equals(u.otherTypeName) && counts(u.otherMac, u.otherAddr);
    }

    private static boolean counts(String mac, byte[] addr) {
        if (mac == null || mac.equals(NO_MAC) || addr == null) {
            return false;
        }
        for (byte b : addr) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    private static void add(Map<String, List<String>> m, String mac, String ip) {
        List<String> ips = m.computeIfAbsent(mac, k -> new ArrayList<>(2));
        int at = Collections.binarySearch(ips, ip);
        if (at < 0) {
            ips.add(-at - 1, ip);
        }
    }

    private static void addAll(Map<String, List<String>> into, Map<String, List<String>> from) {
        from.forEach((mac, ips) -> ips.forEach(ip -> add(into, mac, ip)));
    }

    /** The MAC addresses and IP addresses of one local MAC's flows in one interval. */
    static final class Sightings
            implements AggregateFunction<
                    FlowUsage, Map<String, List<String>>, Map<String, List<String>>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Map<String, List<String>> createAccumulator() {
            return new HashMap<>();
        }

        @Override
        public Map<String, List<String>> add(FlowUsage u, Map<String, List<String>> acc) {
            if (localEnd(u)) {
                Endpoints.add(acc, u.localMac, u.localIp);
            }
            if (otherEnd(u)) {
                Endpoints.add(acc, u.otherMac, u.otherIp);
            }
            return acc;
        }

        @Override
        public Map<String, List<String>> getResult(Map<String, List<String>> acc) {
            return acc;
        }

        @Override
        public Map<String, List<String>> merge(
                Map<String, List<String>> a, Map<String, List<String>> b) {
            addAll(a, b);
            return a;
        }
    }

    /** One interval's sightings into the record: MAC addresses in order, each with its IPs. */
    static final class EndpointRecords
            extends ProcessAllWindowFunction<
                    Map<String, List<String>>, TelemetryRecord, TimeWindow> {
        private static final long serialVersionUID = 1L;

        private transient ObjectMapper mapper;

        @Override
        public void process(
                Context ctx,
                Iterable<Map<String, List<String>>> sightings,
                Collector<TelemetryRecord> out)
                throws Exception {
            if (mapper == null) {
                mapper = new ObjectMapper();
            }
            Map<String, List<String>> all = new TreeMap<>();
            for (Map<String, List<String>> s : sightings) {
                addAll(all, s);
            }
            ObjectNode record = mapper.createObjectNode();
            for (Map.Entry<String, List<String>> e : all.entrySet()) {
                ArrayNode ips = record.putArray(e.getKey());
                e.getValue().forEach(ips::add);
            }
            record.put("type", RECORD_TYPE);
            out.collect(
                    new TelemetryRecord(
                            RECORD_TYPE,
                            RECORD_TYPE,
                            ctx.window().maxTimestamp(),
                            mapper.writeValueAsBytes(record)));
        }
    }
}
