package io.flowtap.schemas;

import io.flowtap.schema.FlowKey;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.Sha1;

import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@link PacketEvent}s on the wire: Avro single-object encoding (a two-byte marker, the schema's
 * 64-bit fingerprint, then the binary record), so that a reader can tell the schema of every
 * message; and the end-of-capture marker.
 */
public final class PacketEvents {
    private PacketEvents() {}

    /** The event in Avro single-object encoding. */
    public static byte[] encode(PacketEvent event) throws IOException {
        ByteBuffer b = PacketEvent.getEncoder().encode(event);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * Decodes one message.
     *
     * @throws IOException when the message is not a {@code PacketEvent} of a known schema, naming
     *     why
     */
    public static PacketEvent decode(byte[] message) throws IOException {
        try {
            return PacketEvent.getDecoder().decode(message);
        } catch (BadHeaderException e) {
            throw new IOException("not an Avro single-object message: " + e.getMessage(), e);
        } catch (MissingSchemaException e) {
            throw new IOException("a PacketEvent of an unknown schema: " + e.getMessage(), e);
        }
    }

    /** An end-of-capture marker of an agent's interface, after its last packet at {@code endNs}. */
    public static PacketEvent endOfCapture(String agentId, String interfaceName, long endNs) {
        FlowKey none =
                FlowKey.newBuilder()
                        .setIpVersion(0)
                        .setIpProtocol(0)
                        .setVlanId(0)
                        .setLowerAddr(ByteBuffer.allocate(0))
                        .setUpperAddr(ByteBuffer.allocate(0))
                        .setLowerPort(0)
                        .setUpperPort(0)
                        .setDigest(new Sha1(new byte[20]))
                        .build();
        return PacketEvent.newBuilder()
                .setAgentId(agentId)
                .setInterface$(interfaceName)
                .setFlow(none)
                .setPackets(List.of())
                .setEndOfCaptureNs(endNs)
                .build();
    }

    public static boolean isEndOfCapture(PacketEvent event) {
        return event.getEndOfCaptureNs() != null;
    }
}
