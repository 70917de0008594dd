package io.flowtap.schemas;

import io.flowtap.schema.FlowKey;
import io.flowtap.schema.InterfaceCounters;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;
import io.flowtap.schema.Sha1;

import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire format of packet events (Avro specification, "Single-object encoding"). */
class PacketEventsTest {
    @Test
    void markerRoundTripsWithTheSingleObjectHeader() throws IOException {
        PacketEvent marker =
                PacketEvents.endOfCapture("edge-1", "eth0", 1_700_000_000_123_456_789L);
        byte[] wire = PacketEvents.encode(marker);
        // 0xC3 0x01, then the schema's CRC-64-AVRO fingerprint, little-endian.
        assertThat(wire[0]).isEqualTo((byte) 0xc3);
        assertThat(wire[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(wire, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint)
                .isEqualTo(SchemaNormalization.parsingFingerprint64(PacketEvent.getClassSchema()));
        PacketEvent back = PacketEvents.decode(wire);
        assertThat(back).isEqualTo(marker);
        assertThat(PacketEvents.isEndOfCapture(back)).isTrue();
        assertThat(back.getPackets()).isEmpty();
    }

    @Test
    void otherBytesAreRejectedWithAReason() {
        assertThatThrownBy(() -> PacketEvents.decode("{\"flow\": 1}".getBytes()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an Avro single-object message");
        byte[] unknown = new byte[20];
        unknown[0] = (byte) 0xc3;
        unknown[1] = 0x01;
        assertThatThrownBy(() -> PacketEvents.decode(unknown))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown schema");
    }

    /** Header of a message of this schema followed by {@code body}. */
    private static byte[] message(int... body) throws IOException {
        byte[] wire = PacketEvents.encode(PacketEvents.endOfCapture("e", "i", 1));
        byte[] out = new byte[10 + body.length];
        System.arraycopy(wire, 0, out, 0, 10);
        for (int i = 0; i < body.length; i++) {
            out[10 + i] = (byte) body[i];
        }
        return out;
    }

    @Test
    void lengthsBeyondTheMessageFailWithoutAllocatingThem() throws IOException {
        // agent_id's length prefix says 2^31 - 20 bytes (zigzag varint), then 3 bytes follow.
        byte[] hostile = message(0xd8, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3);
        assertThatThrownBy(() -> PacketEvents.decode(hostile))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds");
        // A valid agent id, interface, flow key and no MACs, then an array of 2^30 packets.
        PacketEvent marker = PacketEvents.endOfCapture("e", "i", 1);
        byte[] wire = PacketEvents.encode(marker);
        // The packets' count (0), then nulls for dns_hint, role, networks (a byte each), the end
        // time (union index 1, then 1 as a zigzag varint) and a null for counters.
        int packetsAt = wire.length - 7;
        assertThat(Arrays.copyOfRange(wire, packetsAt + 1, wire.length))
                .containsExactly(0, 0, 0, 2, 2, 0);
        assertThat(wire[packetsAt]).isZero(); // the empty array's terminating count
        byte[] huge = new byte[packetsAt + 5];
        System.arraycopy(wire, 0, huge, 0, packetsAt);
        byte[] count = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        System.arraycopy(count, 0, huge, packetsAt, count.length);
        assertThatThrownBy(() -> PacketEvents.decode(huge))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds");
    }

    private static PacketEvent packetEvent(int ipVersion, int addressBytes, int packets) {
        List<PacketRecord> records = new ArrayList<>();
        for (int i = 0; i < packets; i++) {
            records.add(
                    PacketRecord.newBuilder()
                            .setTsNs(1_000_000_000L + i)
                            .setFromLower(i % 2 == 0)
                            .setWireLen(60)
                            .setIpLen(46)
                            .setPayloadLen(6)
                            .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}))
                            .build());
        }
        return PacketEvent.newBuilder()
                .setAgentId("edge")
                .setInterface$("eth0")
                .setFlow(
                        FlowKey.newBuilder()
                                .setIpVersion(ipVersion)
                                .setIpProtocol(17)
                                .setLowerAddr(ByteBuffer.wrap(new byte[addressBytes]))
                                .setUpperAddr(ByteBuffer.wrap(new byte[addressBytes]))
                                .setLowerPort(53)
                                .setUpperPort(40000)
                                .setDigest(new Sha1(new byte[20]))
                                .build())
                .setPackets(records)
                .build();
    }

    @Test
    void packetEventsRoundTripAndNonsenseIsRejected() throws IOException {
        PacketEvent e = packetEvent(6, 16, 3);
        assertThat(PacketEvents.decode(PacketEvents.encode(e))).isEqualTo(e);
        assertThatThrownBy(() -> PacketEvents.decode(PacketEvents.encode(packetEvent(4, 4, 0))))
                .hasMessageContaining("without packets");
        assertThatThrownBy(() -> PacketEvents.decode(PacketEvents.encode(packetEvent(4, 16, 1))))
                .hasMessageContaining("address length");
        byte[] trailing = Arrays.copyOf(PacketEvents.encode(e), PacketEvents.encode(e).length + 1);
        assertThatThrownBy(() -> PacketEvents.decode(trailing))
                .hasMessageContaining("bytes after the record");
    }

    private static InterfaceCounters.Builder counters(long untilNs) {
        return InterfaceCounters.newBuilder()
                .setUntilNs(untilNs)
                .setRaw(3)
                .setEthernet(3)
                .setIp(2)
                .setIpBytes(120)
                .setWireBytes(180)
                .setTcp(2)
                .setUdp(0)
                .setIcmp(0)
                .setIgmp(0)
                .setVlan(0)
                .setMpls(0)
                .setPppoe(0)
                .setFragmented(0)
                .setDiscarded(1)
                .setDiscardedBytes(60)
                .setLargestBytes(60)
                .setTcpResets(1)
                .setTcpSeqErrors(0);
    }

    @Test
    void counterReportsRoundTripAndCarryTheirTime() throws IOException {
        PacketEvent report =
                PacketEvents.counters(
                        "edge-1", "eth0", counters(1_700_000_000_987_654_321L).build());
        PacketEvent back = PacketEvents.decode(PacketEvents.encode(report));
        assertThat(back).isEqualTo(report);
        assertThat(PacketEvents.isCounters(back)).isTrue();
        assertThat(PacketEvents.isEndOfCapture(back)).isFalse();
        assertThat(PacketEvents.hasPackets(back)).isFalse();
        assertThat(PacketEvents.timestampMs(back)).isEqualTo(1_700_000_000_987L);
        // Fields added with defaults: a report that does not set them reads as zero drops.
        assertThat(back.getCounters().getCaptureDropped()).isZero();
    }

    @Test
    void malformedReportsAreRejected() {
        PacketEvent negative = PacketEvents.counters("e", "i", counters(-1).build());
        assertThatThrownBy(() -> PacketEvents.decode(PacketEvents.encode(negative)))
                .hasMessageContaining("malformed counters report");
        PacketEvent both = PacketEvents.counters("e", "i", counters(5).build());
        both.setEndOfCaptureNs(5L);
        assertThatThrownBy(() -> PacketEvents.decode(PacketEvents.encode(both)))
                .hasMessageContaining("malformed end-of-capture marker");
    }
}
