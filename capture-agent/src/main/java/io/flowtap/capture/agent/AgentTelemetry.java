package io.flowtap.capture.agent;

import io.flowtap.capture.decode.DecoderCounters;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The agent's own telemetry, as the Netify agent writes it: {@code agent_status} (schema
 * netify-telemetry-agent-status.json), {@code interfaces}, {@code interface_stats} and {@code
 * global_stats} (netify-telemetry-interfaces.json, netify-telemetry-interface-stats.json); and
 * Flowtap's {@code agent_hello} at start. Keys are written in alphabetical order.
 */
final class AgentTelemetry {
    static final String VERSION = "0.1.0";
    private static final JsonFactory JSON = new JsonFactory();

    private final AgentSettings settings;
    private final long startMs = System.currentTimeMillis();
    private double cpuUserPrev;
    private double cpuSystemPrev;
    private long rssPrev;
    private long maxRssPrev;
    private long flowsPrev;

    AgentTelemetry(AgentSettings settings) {
        this.settings = settings;
    }

    static String buildVersion() {
        return "Flowtap Agent/"
                + VERSION
                + " (Java "
                + Runtime.version()
                + "; "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.arch")
                + ")";
    }

    /** Flowtap's greeting at start: who the agent is and what it captures. */
    byte[] hello(List<InterfaceStats> interfaces) {
        return write(
                g -> {
                    g.writeStringField("agent_id", settings.agentId);
                    g.writeStringField("agent_version", VERSION);
                    g.writeStringField("build_version", buildVersion());
                    g.writeArrayFieldStart("interfaces");
                    for (InterfaceStats s : interfaces) {
                        g.writeString(s.name);
                    }
                    g.writeEndArray();
                    g.writeStringField("packet_topic", settings.packetTopic);
                    g.writeNumberField("timestamp", System.currentTimeMillis() / 1000);
                    g.writeStringField("type", "agent_hello");
                    g.writeNumberField("update_interval", settings.updateInterval.toSeconds());
                });
    }

    /**
     * {@code agent_status}. The agent does not track flows' lifecycles (the job does): {@code
     * flow_count} and {@code flows_in_use} are the flows in its table, the other flow counts are
     * zero.
     */
    byte[] status(int flowsInTable) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        double[] cpu = cpuSeconds();
        double user = cpu[0];
        double system = cpu[1];
        long rss = rssKb();
        long maxRss = Math.max(maxRssPrev, rss);
        byte[] out =
                write(
                        g -> {
                            g.writeStringField("agent_version", VERSION);
                            g.writeStringField("build_version", buildVersion());
                            g.writeNumberField("cpu_cores", os.getAvailableProcessors());
                            g.writeNumberField("cpu_system", system);
                            g.writeNumberField("cpu_system_prev", cpuSystemPrev);
                            g.writeNumberField("cpu_user", user);
                            g.writeNumberField("cpu_user_prev", cpuUserPrev);
                            g.writeBooleanField("dhc_status", true);
                            g.writeBooleanField("fhc_status", false);
                            g.writeNumberField("flow_count", flowsInTable);
                            g.writeNumberField("flow_count_prev", flowsPrev);
                            g.writeNumberField("flows_active", 0);
                            g.writeNumberField("flows_expired", 0);
                            g.writeNumberField("flows_expiring", 0);
                            g.writeNumberField("flows_in_use", flowsInTable);
                            g.writeNumberField("flows_purged", 0);
                            g.writeNumberField("maxrss_kb", maxRss);
                            g.writeNumberField("maxrss_kb_prev", maxRssPrev);
                            g.writeNumberField("memrss_kb", rss);
                            g.writeNumberField("memrss_kb_prev", rssPrev);
                            g.writeNumberField("tcm_kb", heapKb());
                            g.writeNumberField("tcm_kb_prev", 0);
                            g.writeNumberField("timestamp", System.currentTimeMillis() / 1000);
                            g.writeStringField("type", "agent_status");
                            g.writeNumberField("update_imf", 1);
                            g.writeNumberField(
                                    "update_interval", settings.updateInterval.toSeconds());
                            g.writeNumberField(
                                    "uptime", (System.currentTimeMillis() - startMs) / 1000);
                        });
        cpuUserPrev = user;
        cpuSystemPrev = system;
        rssPrev = rss;
        maxRssPrev = maxRss;
        flowsPrev = flowsInTable;
        return out;
    }

    /** {@code interfaces}: each interface with its addresses, capture type, MAC and role. */
    byte[] interfaces(List<InterfaceStats> interfaces) {
        return write(
                g -> {
                    for (InterfaceStats s : sorted(interfaces)) {
                        g.writeObjectFieldStart(s.name);
                        g.writeArrayFieldStart("addr");
                        for (String a : s.source.addresses()) {
                            g.writeString(a);
                        }
                        g.writeEndArray();
                        g.writeStringField("capture_type", s.source.captureType());
                        g.writeStringField("mac", s.source.mac());
                        g.writeStringField("role", settings.interfaceRole);
                        g.writeEndObject();
                    }
                    g.writeStringField("type", "interfaces");
                });
    }

    /** {@code interface_stats}: the counters of each interface since the agent started. */
    byte[] interfaceStats(List<InterfaceStats> interfaces) {
        return write(
                g -> {
                    for (InterfaceStats s : sorted(interfaces)) {
                        g.writeObjectFieldStart(s.name);
                        stats(
                                g,
                                s.decoder,
                                s.source.droppedByCapture(),
                                s.source.filteredByCapture(),
                                s.queueDropped.get(),
                                s.tcpSeqErrors);
                        g.writeEndObject();
                    }
                    g.writeStringField("type", "interface_stats");
                });
    }

    /** {@code global_stats}: the same counters summed over the interfaces. */
    byte[] globalStats(List<InterfaceStats> interfaces) {
        DecoderCounters total = new DecoderCounters();
        long captureDropped = 0;
        long filtered = 0;
        long queueDropped = 0;
        long seqErrors = 0;
        for (InterfaceStats s : interfaces) {
            s.decoder.addTo(total);
            captureDropped += s.source.droppedByCapture();
            filtered += s.source.filteredByCapture();
            queueDropped += s.queueDropped.get();
            seqErrors += s.tcpSeqErrors;
        }
        long cd = captureDropped;
        long f = filtered;
        long qd = queueDropped;
        long r = seqErrors;
        return write(
                g -> {
                    stats(g, total, cd, f, qd, r);
                    g.writeStringField("type", "global_stats");
                });
    }

    private static void stats(
            JsonGenerator g,
            DecoderCounters c,
            long captureDropped,
            long captureFiltered,
            long queueDropped,
            long tcpSeqErrors)
            throws IOException {
        g.writeNumberField("capture_dropped", captureDropped);
        g.writeNumberField("capture_filtered", captureFiltered);
        g.writeNumberField("discarded", c.discarded);
        g.writeNumberField("discarded_bytes", c.discardedBytes);
        g.writeNumberField("ethernet", c.ethernet);
        g.writeNumberField("flow_dropped", 0);
        g.writeNumberField("fragmented", c.fragmented);
        g.writeNumberField("icmp", c.icmp);
        g.writeNumberField("igmp", c.igmp);
        g.writeNumberField("ip", c.ip);
        g.writeNumberField("ip_bytes", c.ipBytes);
        g.writeNumberField("largest_bytes", c.largestBytes);
        g.writeNumberField("mpls", c.mpls);
        g.writeNumberField("pppoe", c.pppoe);
        g.writeNumberField("queue_dropped", queueDropped);
        g.writeNumberField("raw", c.raw);
        g.writeNumberField("tcp", c.tcp);
        g.writeNumberField("tcp_resets", c.tcpResets);
        g.writeNumberField("tcp_seq_errors", tcpSeqErrors);
        g.writeNumberField("udp", c.udp);
        g.writeNumberField("vlan", c.vlan);
        g.writeNumberField("wire_bytes", c.wireBytes);
    }

    private static List<InterfaceStats> sorted(List<InterfaceStats> interfaces) {
        return interfaces.stream().sorted((a, b) -> a.name.compareTo(b.name)).toList();
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * User and system CPU seconds of the process: from /proc/self/stat (clock ticks of 1/100 s,
     * Linux's USER_HZ), or all as user time from the JVM elsewhere.
     */
    private static double[] cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
        } catch (IOException | RuntimeException e) {
            var os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                return new double[] {sun.getProcessCpuTime() / 1e9, 0};
            }
            return new double[] {0, 0};
        }
    }

    /** Resident set size from /proc, in kB; 0 where there is no /proc. */
    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux.
        }
        return 0;
    }

    /** The JVM heap in use, in kB: the managed memory that stands where TCMalloc's does. */
    private static long heapKb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / 1024;
    }
}
