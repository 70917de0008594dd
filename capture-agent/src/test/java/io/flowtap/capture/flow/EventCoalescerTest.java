package io.flowtap.capture.flow;

import io.flowtap.schema.FlowKey;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;
import io.flowtap.schema.Sha1;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which single-packet events the coalescer joins, and when it lets them go. */
class EventCoalescerTest {
    private static final long MS = 1_000_000L;

    /** Each flow's slot, as the assembler's table keeps them. */
    private final Map<Integer, EventCoalescer.Slot> slots = new HashMap<>();

    private EventCoalescer.Slot slot(int flow) {
        return slots.computeIfAbsent(flow, f -> new EventCoalescer.Slot());
    }

    private static PacketEvent event(int flow, long tsMs, String dnsHint, int mac) {
        byte[] digest = new byte[20];
        digest[0] = (byte) flow;
        List<PacketRecord> packets = new ArrayList<>();
        packets.add(
                PacketRecord.newBuilder()
                        .setTsNs(tsMs * MS)
                        .setFromLower(true)
                        .setWireLen(100)
                        .setIpLen(86)
                        .setPayloadLen(58)
                        .setTcpFlags(0)
                        .setTcpSeq(0)
                        .setTcpAck(0)
                        .setIpDscp(0)
                        .setFragment(false)
                        .setPayload(null)
                        .build());
        return PacketEvent.newBuilder()
                .setAgentId("a")
                .setInterface$("eth0")
                .setFlow(
                        FlowKey.newBuilder()
                                .setIpVersion(4)
                                .setIpProtocol(17)
                                .setVlanId(0)
                                .setLowerAddr(ByteBuffer.wrap(new byte[] {10, 0, 0, 1}))
                                .setUpperAddr(ByteBuffer.wrap(new byte[] {10, 0, 0, 2}))
                                .setLowerPort(1000 + flow)
                                .setUpperPort(53)
                                .setDigest(new Sha1(digest))
                                .build())
                .setLowerMac(ByteBuffer.wrap(new byte[] {2, 0, 0, 0, 0, (byte) mac}))
                .setUpperMac(null)
                .setPackets(packets)
                .setDnsHint(dnsHint)
                .build();
    }

    private static PacketEvent event(int flow, long tsMs) {
        return event(flow, tsMs, null, 1);
    }

    /** Each event let go so far: its flow and its packets' times in ms. */
    private static List<String> drain(EventCoalescer c) {
        List<String> out = new ArrayList<>();
        for (PacketEvent e = c.poll(); e != null; e = c.poll()) {
            StringBuilder s = new StringBuilder("f" + e.getFlow().getDigest().bytes()[0] + ":");
            for (PacketRecord p : e.getPackets()) {
                s.append(' ').append(p.getTsNs() / MS);
            }
            out.add(s.toString());
        }
        return out;
    }

    /** A live capture's quiet link: the clock lets events go that no later packet would. */
    @Test
    void expireLetsGoWhatIsOlderThanTheDelayAtTheGivenTime() {
        EventCoalescer c = new EventCoalescer(64, 200 * MS);
        c.add(slot(1), event(1, 1000));
        c.add(slot(1), event(1, 1050));
        c.add(slot(2), event(2, 1100));
        c.expire(1200 * MS);
        assertThat(drain(c)).isEmpty(); // flow 1 started 200 ms before: not more
        c.expire(1201 * MS);
        assertThat(drain(c)).containsExactly("f1: 1000 1050");
        c.expire(1301 * MS);
        assertThat(drain(c)).containsExactly("f2: 1100");
        assertThat(c.openFlows()).isZero();
    }

    @Test
    void aFlowsPacketsWithinTheDelayBecomeOneEventInOrder() {
        EventCoalescer c = new EventCoalescer(64, 200 * MS);
        c.add(slot(1), event(1, 1000));
        c.add(slot(2), event(2, 1001));
        c.add(slot(1), event(1, 1002));
        c.add(slot(1), event(1, 1150));
        assertThat(drain(c)).isEmpty();
        // 1,201 ms: flow 1's event (first packet at 1,000) has waited more than 200 ms, and so,
        // at 1,202, has flow 2's.
        c.add(slot(3), event(3, 1201));
        assertThat(drain(c)).containsExactly("f1: 1000 1002 1150");
        c.add(slot(3), event(3, 1202));
        assertThat(drain(c)).containsExactly("f2: 1001");
        c.flush();
        assertThat(drain(c)).containsExactly("f3: 1201 1202");
        assertThat(c.openFlows()).isZero();
    }

    @Test
    void anEventIsLetGoWhenFull() {
        EventCoalescer c = new EventCoalescer(3, 200 * MS);
        for (int i = 0; i < 7; i++) {
            c.add(slot(1), event(1, 1000 + i));
        }
        assertThat(drain(c)).containsExactly("f1: 1000 1001 1002", "f1: 1003 1004 1005");
        c.flush();
        assertThat(drain(c)).containsExactly("f1: 1006");
    }

    /** What only a flow's first event says (a DNS hint here), and a MAC change, start anew. */
    @Test
    void firstOfFlowDetailsAndMacChangesStartANewEvent() {
        EventCoalescer c = new EventCoalescer(64, 200 * MS);
        c.add(slot(1), event(1, 1000));
        c.add(slot(1), event(1, 1001, "www.example.org", 1));
        c.add(slot(1), event(1, 1002));
        c.add(slot(1), event(1, 1003, null, 2));
        c.flush();
        List<String> out = drain(c);
        assertThat(out).containsExactly("f1: 1000", "f1: 1001 1002", "f1: 1003");
    }

    @Test
    void onePacketMeansAnEventPerPacket() {
        EventCoalescer c = new EventCoalescer(1, 200 * MS);
        c.add(slot(1), event(1, 1000));
        c.add(slot(1), event(1, 1001));
        assertThat(drain(c)).containsExactly("f1: 1000", "f1: 1001");
    }

    /** A packet joined by the caller that looked its flow up: no event of its own is built. */
    @Test
    void joinAddsAPacketToItsFlowsOpenEventWithTheSameAddresses() {
        EventCoalescer c = new EventCoalescer(3, 200 * MS);
        PacketRecord lone = event(1, 1000).getPackets().get(0);
        ByteBuffer mac = ByteBuffer.wrap(new byte[] {2, 0, 0, 0, 0, 1});
        assertThat(c.join(slot(1), lone, mac, null)).as("no open event").isFalse();
        c.add(slot(1), event(1, 1000));
        assertThat(c.join(slot(1), event(1, 1001).getPackets().get(0), mac, null)).isTrue();
        ByteBuffer other = ByteBuffer.wrap(new byte[] {2, 0, 0, 0, 0, 2});
        assertThat(c.join(slot(1), event(1, 1002).getPackets().get(0), other, null))
                .as("other MAC addresses")
                .isFalse();
        assertThat(c.join(slot(1), event(1, 1003).getPackets().get(0), mac, null)).isTrue();
        // Full at three packets: let go, and the flow has no open event any more.
        assertThat(drain(c)).containsExactly("f1: 1000 1001 1003");
        assertThat(c.join(slot(1), event(1, 1004).getPackets().get(0), mac, null)).isFalse();
        assertThat(c.openFlows()).isZero();
    }

    /** A flow leaving the caller's table lets its event go before a new slot starts another. */
    @Test
    void releaseLetsAFlowsOpenEventGo() {
        EventCoalescer c = new EventCoalescer(64, 200 * MS);
        c.add(slot(1), event(1, 1000));
        c.add(slot(2), event(2, 1001));
        EventCoalescer.release(slot(1));
        EventCoalescer.release(slot(1));
        assertThat(drain(c)).containsExactly("f1: 1000");
        slots.remove(1);
        c.add(slot(1), event(1, 1002));
        assertThat(c.openFlows()).isEqualTo(2);
        c.flush();
        assertThat(drain(c)).containsExactly("f2: 1001", "f1: 1002");
    }
}
