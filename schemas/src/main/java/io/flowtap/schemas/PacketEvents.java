package io.flowtap.schemas;

import io.flowtap.schema.FlowKey;
import io.flowtap.schema.InterfaceCounters;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.PacketRecord;
import io.flowtap.schema.Sha1;

import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificDatumReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@link PacketEvent}s on the wire: Avro single-object encoding (a two-byte marker, the schema's
 * 64-bit fingerprint, then the binary record), so that a reader can tell the schema of every
 * message; the end-of-capture marker and the counters report, the two events without packets.
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

    /** Avro's single-object marker, then the writer schema's 64-bit fingerprint (little endian). */
    private static final int HEADER = 10;

    private static final long FINGERPRINT =
            SchemaNormalization.parsingFingerprint64(PacketEvent.getClassSchema());

    private static final ThreadLocal<SpecificDatumReader<PacketEvent>> READER =
            ThreadLocal.withInitial(() -> new SpecificDatumReader<>(PacketEvent.class));

    /**
     * Decodes and checks one message. Lengths in the message are checked against its size before
     * anything is allocated, so a corrupt or hostile message costs no more memory than its own.
     *
     * @throws IOException when the message is not a well-formed {@code PacketEvent} of this schema,
     *     naming why
     */
    public static PacketEvent decode(byte[] message) throws IOException {
        if (message.length < HEADER || message[0] != (byte) 0xC3 || message[1] != 0x01) {
            throw new IOException("not an Avro single-object message");
        }
        long fingerprint = 0;
        for (int i = HEADER - 1; i >= 2; i--) {
            fingerprint = fingerprint << 8 | (message[i] & 0xff);
        }
        if (fingerprint != FINGERPRINT) {
            throw new IOException(
                    String.format(
                            "a message of an unknown schema (fingerprint %016x)", fingerprint));
        }
        BoundedBinaryDecoder in = new BoundedBinaryDecoder(message, HEADER, message.length);
        PacketEvent event;
        try {
            event = READER.get().read(null, in);
        } catch (RuntimeException e) {
            throw new IOException("malformed PacketEvent: " + e, e);
        }
        if (!in.atEnd()) {
            throw new IOException("malformed PacketEvent: bytes after the record");
        }
        check(event);
        return event;
    }

    /** What the flow pipeline relies on beyond the schema. */
    static void check(PacketEvent e) throws IOException {
        if (e.getAgentId().length() == 0) {
            throw new IOException("PacketEvent without an agent id");
        }
        if (isEndOfCapture(e)) {
            if (!e.getPackets().isEmpty() || e.getEndOfCaptureNs() < 0 || e.getCounters() != null) {
                throw new IOException("malformed end-of-capture marker");
            }
            return;
        }
        if (isCounters(e)) {
            if (!e.getPackets().isEmpty() || e.getCounters().getUntilNs() < 0) {
                throw new IOException("malformed counters report");
            }
            return;
        }
        if (e.getPackets().isEmpty()) {
            throw new IOException("PacketEvent without packets");
        }
        FlowKey k = e.getFlow();
        int addressBytes = k.getIpVersion() == 4 ? 4 : k.getIpVersion() == 6 ? 16 : -1;
        if (addressBytes < 0
                || k.getLowerAddr().remaining() != addressBytes
                || k.getUpperAddr().remaining() != addressBytes) {
            throw new IOException("PacketEvent with an invalid IP version or address length");
        }
        if (k.getIpProtocol() < 0
                || k.getIpProtocol() > 255
                || k.getLowerPort() < 0
                || k.getLowerPort() > 65535
                || k.getUpperPort() < 0
                || k.getUpperPort() > 65535
                || k.getVlanId() < 0
                || k.getVlanId() > 4095) {
            throw new IOException("PacketEvent with a protocol, port or VLAN out of range");
        }
        for (ByteBuffer mac : new ByteBuffer[] {e.getLowerMac(), e.getUpperMac()}) {
            if (mac != null && mac.remaining() != 6) {
                throw new IOException("PacketEvent with a MAC address that is not 6 bytes");
            }
        }
        for (PacketRecord p : e.getPackets()) {
            if (p.getWireLen() < 0 || p.getIpLen() < 0 || p.getPayloadLen() < 0) {
                throw new IOException("PacketEvent with a negative length");
            }
        }
    }

    /** An end-of-capture marker of an agent's interface, after its last packet at {@code endNs}. */
    public static PacketEvent endOfCapture(String agentId, String interfaceName, long endNs) {
        return withoutPackets(agentId, interfaceName).setEndOfCaptureNs(endNs).build();
    }

    /** A report of what the decoder of an agent's interface counted. */
    public static PacketEvent counters(
            String agentId, String interfaceName, InterfaceCounters counters) {
        return withoutPackets(agentId, interfaceName).setCounters(counters).build();
    }

    private static PacketEvent.Builder withoutPackets(String agentId, String interfaceName) {
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
                .setPackets(List.of());
    }

    public static boolean isCounters(PacketEvent event) {
        return event.getCounters() != null;
    }

    /** Whether the event carries packets of a flow (rather than being a marker or a report). */
    public static boolean hasPackets(PacketEvent event) {
        return event.getEndOfCaptureNs() == null && event.getCounters() == null;
    }

    /**
     * Capture time of the event in ms: its first packet's, a counters report's last counted
     * frame's, or an end-of-capture marker's last packet's.
     */
    public static long timestampMs(PacketEvent event) {
        if (event.getEndOfCaptureNs() != null) {
            return event.getEndOfCaptureNs() / 1_000_000L;
        }
        if (event.getCounters() != null) {
            return event.getCounters().getUntilNs() / 1_000_000L;
        }
        return event.getPackets().get(0).getTsNs() / 1_000_000L;
    }

    public static boolean isEndOfCapture(PacketEvent event) {
        return event.getEndOfCaptureNs() != null;
    }
}
