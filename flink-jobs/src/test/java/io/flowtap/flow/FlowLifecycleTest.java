package io.flowtap.flow;

import io.flowtap.schema.PacketEvent;
import io.flowtap.testing.TestEvents;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.flowtap.testing.TestEvents.ACK;
import static io.flowtap.testing.TestEvents.FIN;
import static io.flowtap.testing.TestEvents.PSH;
import static io.flowtap.testing.TestEvents.RST;
import static io.flowtap.testing.TestEvents.SYN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle on hand-timed packets. With the default settings ticks fall every 15 s, idle flows
 * expire after 30 s (300 s for open TCP flows), and each expected tick below follows from that
 * arithmetic.
 */
class FlowLifecycleTest {
    private final FlowLifecycle lifecycle = new FlowLifecycle(FlowSettings.defaults());
    private final List<String> log = new ArrayList<>();
    private final List<FlowState> snapshots = new ArrayList<>();
    private final FlowLifecycle.Output out =
            new FlowLifecycle.Output() {
                @Override
                public void flow(FlowState f, long t) {
                    log.add("flow@" + t + " packets=" + f.totalPackets());
                }

                @Override
                public void dpiUpdate(FlowState f, long t) {
                    log.add("update@" + t);
                }

                @Override
                public void dpiComplete(FlowState f, long t) {
                    log.add("complete@" + t);
                }

                @Override
                public void stats(FlowState f, long t) {
                    log.add(
                            "stats@"
                                    + t
                                    + " interval="
                                    + f.intervalPackets()
                                    + " total="
                                    + f.totalPackets());
                }

                @Override
                public void purge(FlowState f, long t, PurgeReason r) {
                    log.add("purge@" + t + " " + r.json() + " total=" + f.totalPackets());
                    snapshots.add(f);
                }
            };

    private FlowState feed(FlowState s, PacketEvent... events) {
        for (PacketEvent e : events) {
            s = lifecycle.onEvent(s, e, out);
        }
        return s;
    }

    private void endOfInput(FlowState s) {
        assertThat(lifecycle.advance(s, Long.MAX_VALUE, out)).isNull();
    }

    @Test
    void udpFlowGetsStatsAtTheTickAndExpiresAfterItsTtl() {
        TestEvents udp = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);
        FlowState s = feed(null, udp.client(1_000, 80), udp.server(2_000, 120));
        // No payload for DPI: the flow record waits for the end of inspection.
        assertThat(log).isEmpty();
        endOfInput(s);
        // Stats at the first tick (15 s); last seen 2 s + 30 s TTL = 32 s, first tick after: 45 s.
        assertThat(log)
                .containsExactly(
                        "stats@15000 interval=2 total=2",
                        "flow@45000 packets=2",
                        "complete@45000",
                        "purge@45000 expired total=2");
    }

    @Test
    void packetsArrivingAfterTicksRunThoseTicksFirst() {
        TestEvents udp = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);
        FlowState s = feed(null, udp.client(1_000, 80), udp.client(20_000, 80));
        // The packet at 20 s runs the 15 s tick before it is counted.
        assertThat(log).containsExactly("stats@15000 interval=1 total=1");
        s = feed(s, udp.client(61_000, 80));
        // Idle from 20 s: stats at 30 s, and expiry due at 50 s -> tick 60 s, before 61 s. The
        // packet at 61 s starts a new flow.
        assertThat(log)
                .containsExactly(
                        "stats@15000 interval=1 total=1",
                        "stats@30000 interval=1 total=2",
                        "flow@60000 packets=2",
                        "complete@60000",
                        "purge@60000 expired total=2");
        assertThat(s.firstSeenMs).isEqualTo(61_000);
    }

    @Test
    void tcpIdleTtlIsLonger() {
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40000, "93.184.216.34", 443);
        FlowState s = feed(null, tcp.client(1_000, 74, SYN, 100, 0, 0));
        endOfInput(s);
        assertThat(log)
                .containsExactly(
                        "stats@15000 interval=1 total=1",
                        "flow@315000 packets=1",
                        "complete@315000",
                        "purge@315000 expired total=1");
    }

    @Test
    void acknowledgedFinShortensTheTtlAndClosesTheFlow() {
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40000, "93.184.216.34", 443);
        FlowState s =
                feed(
                        null,
                        tcp.client(1_000, 74, SYN, 100, 0, 0),
                        tcp.server(1_010, 74, SYN | ACK, 500, 101, 0),
                        tcp.client(1_020, 66, ACK, 101, 501, 0),
                        tcp.client(1_030, 166, PSH | ACK, 101, 501, 100),
                        tcp.server(1_040, 66, FIN | ACK, 501, 201, 0));
        assertThat(s.closing).isFalse();
        s = feed(s, tcp.client(1_050, 66, ACK, 201, 502, 0));
        assertThat(s.closing).isTrue();
        endOfInput(s);
        assertThat(log).last().isEqualTo("purge@45000 closed total=6");
        assertThat(snapshots.get(0).tcpRetrans).isZero();
        assertThat(snapshots.get(0).tcpSeqErrors).isZero();
    }

    @Test
    void finNotYetAcknowledgedKeepsTheLongTtl() {
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40000, "93.184.216.34", 443);
        FlowState s =
                feed(
                        null,
                        tcp.client(1_000, 74, SYN, 100, 0, 0),
                        tcp.server(1_010, 74, SYN | ACK, 500, 101, 0),
                        tcp.server(1_040, 66, FIN | ACK, 501, 101, 0),
                        // An ACK that does not cover the FIN (ack 501 < 502).
                        tcp.client(1_050, 66, ACK, 101, 501, 0));
        assertThat(s.closing).isFalse();
        endOfInput(s);
        assertThat(log).last().isEqualTo("purge@315000 expired total=4");
    }

    @Test
    void resetIsCountedAndCloses() {
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40000, "93.184.216.34", 8080);
        FlowState s =
                feed(
                        null,
                        tcp.client(1_000, 74, SYN, 100, 0, 0),
                        tcp.server(1_001, 54, RST | ACK, 0, 101, 0));
        assertThat(s.tcpResets).isEqualTo(1);
        assertThat(s.closing).isTrue();
        endOfInput(s);
        assertThat(log).last().isEqualTo("purge@45000 closed total=2");
    }

    @Test
    void retransmissionsAndSequenceGapsAreCounted() {
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40000, "93.184.216.34", 80);
        FlowState s =
                feed(
                        null,
                        tcp.client(1_000, 74, SYN, 1000, 0, 0),
                        tcp.client(1_100, 74, SYN, 1000, 0, 0), // SYN again: retransmission
                        tcp.client(1_200, 166, ACK, 1001, 1, 100),
                        tcp.client(1_300, 166, ACK, 1001, 1, 100), // same 100 bytes again
                        tcp.client(1_400, 166, ACK, 1201, 1, 100), // bytes 1101..1200 missing
                        tcp.client(1_500, 166, ACK, 1101, 1, 100)); // the missing ones, late
        assertThat(s.tcpRetrans).isEqualTo(3);
        assertThat(s.tcpSeqErrors).isEqualTo(1);
    }

    @Test
    void sequenceArithmeticWrapsAround() {
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40000, "93.184.216.34", 80);
        FlowState s =
                feed(
                        null,
                        tcp.client(1_000, 1066, ACK, 0xffffff00, 1, 1000),
                        tcp.client(1_001, 1066, ACK, 0xffffff00 + 1000, 1, 1000));
        assertThat(s.tcpRetrans).isZero();
        assertThat(s.tcpSeqErrors).isZero();
    }

    @Test
    void synAfterCloseStartsANewFlowOnTheSamePorts() {
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40000, "93.184.216.34", 8080);
        FlowState s =
                feed(
                        null,
                        tcp.client(1_000, 74, SYN, 100, 0, 0),
                        tcp.server(1_001, 54, RST | ACK, 0, 101, 0),
                        tcp.client(2_000, 74, SYN, 9000, 0, 0));
        assertThat(log)
                .containsExactly(
                        "flow@2000 packets=2", "complete@2000", "purge@2000 closed total=2");
        assertThat(s.closing).isFalse();
        assertThat(s.tcpResets).isZero();
    }

    @Test
    void originFromSynFromWellKnownPortOrFromFirstSender() {
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 40000, "93.184.216.34", 443);
        // SYN+ACK seen first: its receiver opened the connection.
        FlowState s = feed(null, tcp.server(1_000, 74, SYN | ACK, 500, 101, 0));
        assertThat(s.lowerIsOrigin).isFalse(); // server 93.x is lower; the client opened it
        // Mid-stream UDP reply first: the well-known port marks the server.
        TestEvents dns = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);
        FlowState d = feed(null, dns.server(1_000, 100));
        assertThat(d.lowerIsOrigin).isFalse(); // 8.8.8.8 is lower and is the server
        // Two ephemeral ports: the first sender opened it.
        TestEvents p2p = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 50000);
        FlowState p = feed(null, p2p.server(1_000, 100));
        assertThat(p.lowerIsOrigin).isTrue();
    }

    @Test
    void localSideAndCountersByDirection() {
        TestEvents udp = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 53);
        FlowState s =
                feed(null, udp.client(1_000, 80), udp.server(1_001, 120), udp.server(1_002, 130));
        // 8.8.8.8 is the lower address; the client 192.168.1.10 is local.
        assertThat(s.lowerIsLocal).isFalse();
        assertThat(s.otherType).isEqualTo("remote");
        assertThat(s.internal).isTrue();
        assertThat(s.upperPackets).isEqualTo(1);
        assertThat(s.upperBytes).isEqualTo(80);
        assertThat(s.lowerPackets).isEqualTo(2);
        assertThat(s.lowerBytes).isEqualTo(250);
    }

    private static PacketEvent withMacs(PacketEvent e, int lower, int upper) {
        e.setLowerMac(ByteBuffer.wrap(new byte[] {2, 0, 0, 0, 0, (byte) lower}));
        e.setUpperMac(ByteBuffer.wrap(new byte[] {2, 0, 0, 0, 0, (byte) upper}));
        return e;
    }

    @Test
    void eachFlowKeepsItsOwnLinkLayerAddresses() {
        // New flows share the arrays of addresses seen last; a flow must still get exactly its
        // own, and a buffer the caller reuses for a later event must not change a flow's.
        int[][] macs = {{1, 2}, {1, 2}, {2, 1}, {3, 4}, {5, 1}, {3, 4}, {1, 2}};
        List<FlowState> flows = new ArrayList<>();
        for (int i = 0; i < macs.length; i++) {
            TestEvents udp = TestEvents.udp("192.168.1.10", 40000 + i, "8.8.8.8", 53);
            PacketEvent e = withMacs(udp.client(1_000 + i, 80), macs[i][0], macs[i][1]);
            flows.add(feed(null, e));
            e.getLowerMac().put(5, (byte) 99);
            e.getUpperMac().put(5, (byte) 99);
        }
        for (int i = 0; i < macs.length; i++) {
            assertThat(flows.get(i).lowerMac).containsExactly(2, 0, 0, 0, 0, macs[i][0]);
            assertThat(flows.get(i).upperMac).containsExactly(2, 0, 0, 0, 0, macs[i][1]);
        }
        assertThat(flows.get(1).lowerMac).isSameAs(flows.get(0).lowerMac);
        assertThat(flows.get(2).upperMac).isSameAs(flows.get(0).lowerMac);
    }

    @Test
    void ratesAreBytesPerActiveSecondOfTheInterval() {
        TestEvents udp = TestEvents.udp("192.168.1.10", 40000, "8.8.8.8", 5000);
        FlowState s =
                feed(
                        null,
                        udp.client(1_000, 1000),
                        udp.client(1_500, 1000),
                        udp.client(3_000, 1000));
        s = lifecycle.advance(s, 15_000, out);
        // 3000 bytes in two distinct seconds (1 and 3).
        assertThat(s.upperRate).isEqualTo(1500f);
        assertThat(s.intervalPackets()).isZero();
    }
}
