package io.flowtap.schemas;

import io.flowtap.schema.PacketEvent;

import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
}
