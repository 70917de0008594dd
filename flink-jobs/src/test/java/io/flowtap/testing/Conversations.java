package io.flowtap.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * The conversations of the pipeline's records. A flow's records arrive in order; its stats may
     * precede its flow record (which waits for DPI), and its digest changes once DPI has results
     * (the first digest then heads {@code digest_prev}), so records are grouped by their first
     * digest. A digest may have several flows one after the other (split by idle time, or a new TCP
     * connection on the same ports), each with its own local side.
     */
    public static Map<Key, Counts> reported(TelemetryOutput output) {
        Map<String, JsonNode> flowOf = new HashMap<>();
        Map<String, long[]> sides = new HashMap<>();
        Map<Key, Counts> out = new HashMap<>();
        for (JsonNode r : output.all()) {
            String type = r.get("type").asText();
            JsonNode f = r.get("flow");
            String id = identity(f);
            if (type.equals("flow")) {
                if (flowOf.put(id, f) != null) {
                    throw new AssertionError("two flow records before a purge: " + r);
                }
                continue;
            }
            if (!type.equals("flow_stats") && !type.equals("flow_purge")) {
                continue;
            }
            long[] c = sides.computeIfAbsent(id, k -> new long[4]);
            c[0] += f.get("local_packets").asLong();
            c[1] += f.get("local_bytes").asLong();
            c[2] += f.get("other_packets").asLong();
            c[3] += f.get("other_bytes").asLong();
            if (!type.equals("flow_purge")) {
                continue;
            }
            JsonNode flow = flowOf.remove(id);
            sides.remove(id);
            if (flow == null) {
                throw new AssertionError("a purge without a flow record: " + r);
            }
            // The intervals of stats and purge records add up to the purge's totals.
            if (c[0] + c[2] != f.get("total_packets").asLong()
                    || c[1] + c[3] != f.get("total_bytes").asLong()) {
                throw new AssertionError("intervals do not add up to the totals of " + r);
            }
            int proto = flow.get("ip_protocol").asInt();
            if (proto != 6 && proto != 17) {
                continue;
            }
            Key k =
                    Key.of(
                            proto == 6 ? "tcp" : "udp",
                            flow.get("local_ip").asText(),
                            flow.get("local_port").asInt(),
                            flow.get("other_ip").asText(),
                            flow.get("other_port").asInt(),
                            flow.get("vlan_id").asInt());
            String localEnd = flow.get("local_ip").asText() + "|" + flow.get("local_port").asInt();
            Counts counts =
                    k.endA().equals(localEnd)
                            ? new Counts(c[0], c[1], c[2], c[3])
                            : new Counts(c[2], c[3], c[0], c[1]);
            out.merge(k, counts, Counts::plus);
        }
        if (!flowOf.isEmpty() || !sides.isEmpty()) {
            throw new AssertionError("flows never purged: " + flowOf.keySet() + sides.keySet());
        }
        return out;
    }

    /** The flow's first digest: the head of digest_prev, or the digest itself. */
    public static String identity(JsonNode flow) {
        JsonNode prev = flow.get("digest_prev");
        return prev != null && prev.size() > 0 ? prev.get(0).asText() : flow.get("digest").asText();
    }
}
