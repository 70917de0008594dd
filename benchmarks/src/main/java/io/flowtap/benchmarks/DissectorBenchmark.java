package io.flowtap.benchmarks;

import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.Dissectors;
import io.flowtap.dpi.DpiEngine;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;
import io.flowtap.schema.Sha1;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One dissector alone, per inspected packet: the flows of the captures that the whole engine
 * detects with it, each replayed from a fresh state through an engine holding only that dissector,
 * for the packets DPI looks at (up to 32 per flow, until inspection completes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DissectorBenchmark {
    @Param({
        "dns",
        "dhcp",
        "ntp",
        "ssdp",
        "tls",
        "http",
        "ssh",
        "bittorrent",
        "quic",
        "wireguard",
        "openvpn",
        "stun"
    })
    public String dissector;

    /** The inspected packets of the selected flows, in order; a flow starts at each start[i]. */
    private DpiPacket[] packets;

    private boolean[] starts;
    private DpiEngine engine;
    private DpiState state;
    private FlowMetadata metadata;
    private int next;

    @Setup
    public void load() {
        Dissector selected = null;
        int index = -1;
        for (int i = 0; i < Dissectors.ALL.size(); i++) {
            if (Dissectors.ALL.get(i).name().equals(dissector)) {
                selected = Dissectors.ALL.get(i);
                index = i;
            }
        }
        if (selected == null) {
            throw new IllegalArgumentException("no dissector named " + dissector);
        }
        List<List<DpiPacket>> flows = new ArrayList<>();
        DpiEngine all = new DpiEngine();
        for (List<DpiPacket> flow :
                flows(Captures.events(Captures.decoded(Captures.frames(Captures.all()))))) {
            DpiState s = new DpiState();
            FlowMetadata m = new FlowMetadata();
            int inspected = 0;
            for (DpiPacket p : flow) {
                if (s.complete) {
                    break;
                }
                all.inspect(s, m, p);
                inspected++;
            }
            if (s.detectedBy == index) {
                flows.add(flow.subList(0, inspected));
            }
        }
        if (flows.isEmpty()) {
            throw new IllegalStateException("the captures hold no flow " + dissector + " detects");
        }
        int total = flows.stream().mapToInt(List::size).sum();
        packets = new DpiPacket[total];
        starts = new boolean[total];
        int at = 0;
        for (List<DpiPacket> flow : flows) {
            starts[at] = true;
            for (DpiPacket p : flow) {
                packets[at++] = p;
            }
        }
        engine = new DpiEngine(List.of(selected), DpiEngine.MAX_DETECTION_PACKETS);
        System.out.printf(
                "%n%s: %d flows, %d inspected packets%n", dissector, flows.size(), packets.length);
    }

    @Benchmark
    public int inspect() {
        int i = next;
        next = i + 1 == packets.length ? 0 : i + 1;
        if (starts[i]) {
            state = new DpiState();
            metadata = new FlowMetadata();
        }
        return engine.inspect(state, metadata, packets[i]);
    }

    /**
     * The events' packets grouped by flow, as DPI sees them: the first packet's sender is the
     * client.
     */
    static List<List<DpiPacket>> flows(List<PacketEvent> events) {
        Map<Sha1, List<DpiPacket>> flows = new LinkedHashMap<>();
        Map<Sha1, Boolean> lowerIsClient = new LinkedHashMap<>();
        for (PacketEvent e : events) {
            Sha1 digest = e.getFlow().getDigest();
            for (PacketRecord r : e.getPackets()) {
                boolean lowerClient = lowerIsClient.computeIfAbsent(digest, d -> r.getFromLower());
                DpiPacket p = new DpiPacket();
                p.ipProtocol = e.getFlow().getIpProtocol();
                p.ipVersion = e.getFlow().getIpVersion();
                int lower = e.getFlow().getLowerPort();
                int upper = e.getFlow().getUpperPort();
                p.clientPort = lowerClient ? lower : upper;
                p.serverPort = lowerClient ? upper : lower;
                p.fromClient = r.getFromLower() == lowerClient;
                p.tcpFlags = r.getTcpFlags();
                p.tcpSeq = r.getTcpSeq();
                p.timestampMs = r.getTsNs() / 1_000_000L;
                ByteBuffer payload = r.getPayload();
                if (payload != null) {
                    p.payload = payload.array();
                    p.offset = payload.arrayOffset() + payload.position();
                    p.length = payload.remaining();
                }
                flows.computeIfAbsent(digest, d -> new ArrayList<>()).add(p);
            }
        }
        return new ArrayList<>(flows.values());
    }
}
