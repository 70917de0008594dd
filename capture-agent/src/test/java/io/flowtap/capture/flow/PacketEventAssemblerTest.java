package io.flowtap.capture.flow;

import io.flowtap.capture.Hex;
import io.flowtap.capture.Packets;
import io.flowtap.capture.decode.DecodeResult;
import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.capture.decode.PacketDecoder;
import io.flowtap.capture.file.Frame;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class PacketEventAssemblerTest {
    private final PacketDecoder decoder = new PacketDecoder();

    private PacketEvent assemble(PacketEventAssembler a, byte[] bytes) {
        Frame f = new Frame();
        f.data = bytes;
        f.capturedLength = bytes.length;
        f.originalLength = bytes.length;
        f.linkType = 1;
        f.timestampNanos = 1_000_000_123L;
        DecodedPacket p = new DecodedPacket();
        assertThat(decoder.decode(f, p)).isEqualTo(DecodeResult.OK);
        return a.assemble(p, "eth0", f.data);
    }

    /** The same UDP packet with source and destination swapped (addresses, ports, MACs). */
    private static byte[] reply() {
        return Hex.bytes(
                "66778899aabb 001122334455 0800"
                        + "45 00 0021 0001 0000 40 11 0000 0a000002 0a000001"
                        + "0035 14e9 000d 0000 776f726c64");
    }

    @Test
    void bothDirectionsShareKeyAndDigest() {
        PacketEventAssembler a = new PacketEventAssembler("agent-1", 32, 100);
        PacketEvent query = assemble(a, Packets.ethIpv4UdpHello());
        PacketEvent answer = assemble(a, reply());

        assertThat(query.getFlow()).isEqualTo(answer.getFlow());
        assertThat(query.getAgentId()).isEqualTo("agent-1");
        assertThat(query.getInterface$()).isEqualTo("eth0");
        // 10.0.0.1 < 10.0.0.2: the query's sender is the lower end.
        PacketRecord q = query.getPackets().get(0);
        PacketRecord r = answer.getPackets().get(0);
        assertThat(q.getFromLower()).isTrue();
        assertThat(r.getFromLower()).isFalse();
        assertThat(query.getFlow().getLowerPort()).isEqualTo(5353);
        assertThat(query.getFlow().getUpperPort()).isEqualTo(53);
        assertThat(bytes(query.getLowerMac())).isEqualTo(Hex.bytes("66778899aabb"));
        assertThat(bytes(answer.getLowerMac())).isEqualTo(Hex.bytes("66778899aabb"));
        assertThat(q.getWireLen()).isEqualTo(47);
        assertThat(q.getTsNs()).isEqualTo(1_000_000_123L);
        assertThat(bytes(q.getPayload())).isEqualTo("hello".getBytes());
        assertThat(bytes(r.getPayload())).isEqualTo("world".getBytes());
    }

    @Test
    void eachFlowsEventsCarryItsOwnLinkLayerAddresses() {
        // Flows on other ports with other MACs: events share the buffers of addresses given to
        // flows last, but each must carry exactly its frame's (the sender is the lower end).
        int[][] macs = {{1, 2}, {1, 2}, {2, 1}, {3, 4}, {5, 1}, {3, 4}, {1, 2}};
        PacketEventAssembler a = new PacketEventAssembler("a", 32, 100);
        PacketEvent[] events = new PacketEvent[macs.length];
        for (int i = 0; i < macs.length; i++) {
            byte[] frame = Packets.ethIpv4UdpHello();
            frame[5] = (byte) macs[i][1]; // destination MAC, the upper end
            frame[11] = (byte) macs[i][0]; // source MAC, the lower end
            frame[34] = (byte) 0x20;
            frame[35] = (byte) i; // source port 0x20XX: a flow of its own
            events[i] = assemble(a, frame);
        }
        for (int i = 0; i < macs.length; i++) {
            assertThat(events[i].getFlow().getLowerPort()).isEqualTo(0x2000 + i);
            assertThat(bytes(events[i].getLowerMac()))
                    .isEqualTo(Hex.bytes(String.format("66778899aa%02x", macs[i][0])));
            assertThat(bytes(events[i].getUpperMac()))
                    .isEqualTo(Hex.bytes(String.format("0011223344%02x", macs[i][1])));
        }
        assertThat(events[1].getLowerMac()).isSameAs(events[0].getLowerMac());
    }

    @Test
    void payloadTravelsOnlyWithTheFirstPackets() {
        PacketEventAssembler a = new PacketEventAssembler("a", 2, 100);
        assertThat(assemble(a, Packets.ethIpv4UdpHello()).getPackets().get(0).getPayload())
                .isNotNull();
        assertThat(assemble(a, reply()).getPackets().get(0).getPayload()).isNotNull();
        PacketRecord third = assemble(a, Packets.ethIpv4UdpHello()).getPackets().get(0);
        assertThat(third.getPayload()).isNull();
        assertThat(third.getPayloadLen()).isEqualTo(5);
    }

    @Test
    void aFlowPushedOutOfTheTableStartsAgain() {
        PacketEventAssembler a = new PacketEventAssembler("a", 1, 1);
        assemble(a, Packets.ethIpv4UdpHello());
        assertThat(assemble(a, Packets.ethIpv4UdpHello()).getPackets().get(0).getPayload())
                .isNull();
        assemble(a, Packets.ethIpv4TcpSyn()); // evicts the UDP flow
        assertThat(assemble(a, Packets.ethIpv4UdpHello()).getPackets().get(0).getPayload())
                .isNotNull();
    }

    /** Gives a frame to the assembler with a coalescer, as the capture file reader does. */
    private void assemble(PacketEventAssembler a, byte[] bytes, EventCoalescer c, long tsNs) {
        Frame f = new Frame();
        f.data = bytes;
        f.capturedLength = bytes.length;
        f.originalLength = bytes.length;
        f.linkType = 1;
        f.timestampNanos = tsNs;
        DecodedPacket p = new DecodedPacket();
        assertThat(decoder.decode(f, p)).isEqualTo(DecodeResult.OK);
        a.assemble(p, "eth0", f.data, c);
    }

    @Test
    void withACoalescerAFlowsPacketsJoinAndAFlowPushedOutLetsItsEventGoFirst() {
        PacketEventAssembler a = new PacketEventAssembler("a", 1, 1);
        EventCoalescer c = new EventCoalescer(64, 200_000_000L);
        assemble(a, Packets.ethIpv4UdpHello(), c, 1_000);
        assemble(a, reply(), c, 2_000);
        assertThat(c.poll()).isNull();
        assemble(a, Packets.ethIpv4TcpSyn(), c, 3_000); // pushes the UDP flow out
        PacketEvent udp = c.poll();
        assertThat(udp.getPackets())
                .extracting(PacketRecord::getTsNs)
                .containsExactly(1_000L, 2_000L);
        assertThat(udp.getPackets())
                .extracting(PacketRecord::getFromLower)
                .containsExactly(true, false);
        // One payload-carrying packet per flow: the reply came after it.
        assertThat(udp.getPackets().get(0).getPayload()).isNotNull();
        assertThat(udp.getPackets().get(1).getPayload()).isNull();
        assemble(a, Packets.ethIpv4UdpHello(), c, 4_000); // the UDP flow starts again
        c.flush();
        PacketEvent tcp = c.poll();
        assertThat(tcp.getFlow().getIpProtocol()).isEqualTo(6);
        PacketEvent again = c.poll();
        assertThat(again.getFlow()).isNotSameAs(udp.getFlow()).isEqualTo(udp.getFlow());
        assertThat(again.getPackets()).extracting(PacketRecord::getTsNs).containsExactly(4_000L);
        assertThat(again.getPackets().get(0).getPayload()).isNotNull();
        assertThat(c.poll()).isNull();
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
