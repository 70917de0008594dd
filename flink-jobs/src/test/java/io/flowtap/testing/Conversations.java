package io.flowtap.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * TCP and UDP conversations: the expected ones from tshark (a {@code *.conversations.tsv} file
 * written by testdata/scripts/tshark-conversations.py) and the ones the pipeline reports (its
 * flow_purge records, joined to their flow records for the addresses). A conversation is keyed by
 * protocol, both endpoints and VLAN; several flows of one key (split by idle time) add up.
 */
public final class Conversations {
    /** Identity of a conversation regardless of direction. */
    public record Key(String proto, String endA, String endB, int vlan) {
        static Key of(String proto, String ip1, int port1, String ip2, int port2, int vlan) {
            String e1 = ip1 + "|" + port1;
            String e2 = ip2 + "|" + port2;
            return e1.compareTo(e2) <= 0
                    ? new Key(proto, e1, e2, vlan)
                    : new Key(proto, e2, e1, vlan);
        }
    }

    /** Packets and bytes sent by each end ({@code endA} of the key first), and totals. */
    public record Counts(long packetsA, long bytesA, long packetsB, long bytesB) {
        public long packets() {
            return packetsA + packetsB;
        }

        public long bytes() {
            return bytesA + bytesB;
        }

        Counts plus(Counts o) {
            return new Counts(
                    packetsA + o.packetsA,
                    bytesA + o.bytesA,
                    packetsB + o.packetsB,
                    bytesB + o.bytesB);
        }
    }

    private Conversations() {}

    public static Map<Key, Counts> expected(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        String[] header = lines.get(0).split("\t");
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            col.put(header[i], i);
        }
        Map<Key, Counts> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            String a = f[col.get("addr_a")];
            int pa = Integer.parseInt(f[col.get("port_a")]);
            String b = f[col.get("addr_b")];
            int pb = Integer.parseInt(f[col.get("port_b")]);
            Key k = Key.of(f[col.get("proto")], a, pa, b, pb, Integer.parseInt(f[col.get("vlan")]));
            long fab = Long.parseLong(f[col.get("frames_ab")]);
            long bab = Long.parseLong(f[col.get("bytes_ab")]);
            long fba = Long.parseLong(f[col.get("frames_ba")]);
            long bba = Long.parseLong(f[col.get("bytes_ba")]);
            boolean aFirst = k.endA().equals(a + "|" + pa) && !k.endA().equals(k.endB());
            Counts c = aFirst ? new Counts(fab, bab, fba, bba) : new Counts(fba, bba, fab, bab);
            out.merge(k, c, Counts::plus);
        }
        return out;
    }

    public static Map<Key, Counts> reported(TelemetryOutput output) {
        Map<String, JsonNode> flows = output.flowsByDigest();
        Map<String, long[]> totals = new HashMap<>();
        for (JsonNode purge : output.ofType("flow_purge")) {
            JsonNode p = purge.get("flow");
            long[] t = totals.computeIfAbsent(p.get("digest").asText(), d -> new long[2]);
            t[0] += p.get("total_packets").asLong();
            t[1] += p.get("total_bytes").asLong();
        }
        Map<Key, Counts> out = new HashMap<>();
        for (Map.Entry<String, long[]> e : totals.entrySet()) {
            JsonNode f = Objects.requireNonNull(flows.get(e.getKey()), e.getKey());
            int proto = f.get("ip_protocol").asInt();
            if (proto != 6 && proto != 17) {
                continue;
            }
            String localEnd = f.get("local_ip").asText() + "|" + f.get("local_port").asInt();
            Key k =
                    Key.of(
                            proto == 6 ? "tcp" : "udp",
                            f.get("local_ip").asText(),
                            f.get("local_port").asInt(),
                            f.get("other_ip").asText(),
                            f.get("other_port").asInt(),
                            f.get("vlan_id").asInt());
            // Purge records carry the counters of their last interval; per-side totals are the
            // sum over the flow's stats and purge records, and must add up to the totals.
            Counts sides = sides(output, e.getKey());
            if (sides.packets() != e.getValue()[0] || sides.bytes() != e.getValue()[1]) {
                throw new AssertionError(
                        "stats and purge intervals do not add up to the totals of " + e.getKey());
            }
            boolean localIsA = k.endA().equals(localEnd);
            Counts c =
                    localIsA
                            ? sides
                            : new Counts(
                                    sides.packetsB, sides.bytesB, sides.packetsA, sides.bytesA);
            out.merge(k, c, Counts::plus);
        }
        return out;
    }

    /** Local (A) and other (B) packets and bytes summed over a flow's stats and purge records. */
    private static Counts sides(TelemetryOutput output, String digest) {
        long lp = 0;
        long lb = 0;
        long op = 0;
        long ob = 0;
        List<JsonNode> records = new ArrayList<>(output.ofType("flow_stats"));
        records.addAll(output.ofType("flow_purge"));
        for (JsonNode r : records) {
            JsonNode f = r.get("flow");
            if (f.get("digest").asText().equals(digest)) {
                lp += f.get("local_packets").asLong();
                lb += f.get("local_bytes").asLong();
                op += f.get("other_packets").asLong();
                ob += f.get("other_bytes").asLong();
            }
        }
        return new Counts(lp, lb, op, ob);
    }
}
