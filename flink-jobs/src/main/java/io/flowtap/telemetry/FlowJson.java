package io.flowtap.telemetry;

import io.flowtap.flow.FlowState;
import io.flowtap.flow.PurgeReason;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders flow records as Netify v5 JSON: {@code flow}, {@code flow_stats} and {@code flow_purge},
 * with every field their schemas require, keys in alphabetical order as the Netify agent writes
 * them. DPI fields hold their "nothing detected" values until DPI fills them.
 */
public final class FlowJson {
    public static final String TYPE_FLOW = "flow";
    public static final String TYPE_FLOW_STATS = "flow_stats";
    public static final String TYPE_FLOW_PURGE = "flow_purge";
    private static final String UNKNOWN = "Unknown";

    private final JsonFactory factory = new JsonFactory();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    /** The {@code flow} record of a new flow. */
    public byte[] flow(FlowState f) {
        FlowView v = new FlowView(f);
        return render(
                g -> {
                    g.writeObjectFieldStart("flow");
                    g.writeBooleanField("app_ip_override", false);
                    g.writeBooleanField("app_proto_twins", false);
                    g.writeObjectFieldStart("category");
                    g.writeNumberField("application", 0);
                    g.writeNumberField("domain", 0);
                    g.writeNumberField("local_network", 0);
                    g.writeNumberField("other_network", 0);
                    g.writeNumberField("overlay", 0);
                    g.writeNumberField("protocol", 0);
                    g.writeEndObject();
                    g.writeNumberField("detected_application", 0);
                    g.writeStringField("detected_application_name", UNKNOWN);
                    g.writeNumberField("detected_protocol", 0);
                    g.writeStringField("detected_protocol_name", UNKNOWN);
                    g.writeBooleanField("detection_guessed", false);
                    g.writeNumberField("detection_packets", f.detectionPackets);
                    g.writeBooleanField("detection_updated", false);
                    g.writeBooleanField("dhc_hit", false);
                    g.writeStringField("digest", f.digest);
                    writeDigestPrev(g, f);
                    g.writeStringField("dns_host_name", "");
                    g.writeBooleanField("fhc_hit", false);
                    g.writeNumberField("first_seen_at", f.firstSeenMs);
                    g.writeStringField("host_server_name", "");
                    g.writeNumberField("ip_dscp", f.ipDscp);
                    g.writeBooleanField("ip_nat", false);
                    g.writeNumberField("ip_protocol", f.ipProtocol);
                    g.writeNumberField("ip_version", f.ipVersion);
                    g.writeNumberField("last_seen_at", f.lastSeenMs);
                    g.writeNumberField("local_bytes", v.localBytes());
                    g.writeStringField("local_ip", Addresses.ip(v.localAddr()));
                    g.writeStringField("local_mac", Addresses.mac(v.localMac()));
                    g.writeBooleanField("local_origin", v.localOrigin());
                    g.writeNumberField("local_packets", v.localPackets());
                    g.writeNumberField("local_port", v.localPort());
                    g.writeNumberField("local_rate", v.currentLocalRate());
                    g.writeNumberField("other_bytes", v.otherBytes());
                    g.writeStringField("other_ip", Addresses.ip(v.otherAddr()));
                    g.writeStringField("other_mac", Addresses.mac(v.otherMac()));
                    g.writeNumberField("other_packets", v.otherPackets());
                    g.writeNumberField("other_port", v.otherPort());
                    g.writeNumberField("other_rate", v.currentOtherRate());
                    g.writeStringField("other_type", f.otherType);
                    g.writeBooleanField("soft_dissector", false);
                    writeTcp(g, f);
                    g.writeNumberField("total_bytes", f.totalBytes());
                    g.writeNumberField("total_packets", f.totalPackets());
                    g.writeNumberField("vlan_id", f.vlanId);
                    g.writeEndObject();
                    writeEnvelope(g, f, TYPE_FLOW);
                });
    }

    /** A {@code flow_stats} record: interval counters and rates, lifetime totals. */
    public byte[] stats(FlowState f) {
        return render(
                g -> {
                    writeCounters(g, f);
                    writeEnvelope(g, f, TYPE_FLOW_STATS);
                });
    }

    /** A {@code flow_purge} record: counters since the last stats, lifetime totals. */
    public byte[] purge(FlowState f, PurgeReason reason) {
        return render(
                g -> {
                    writeCounters(g, f);
                    g.writeStringField("interface", f.interfaceName);
                    g.writeBooleanField("internal", f.internal);
                    g.writeStringField("reason", reason.json());
                    g.writeStringField("type", TYPE_FLOW_PURGE);
                });
    }

    private static void writeCounters(JsonGenerator g, FlowState f) throws IOException {
        FlowView v = new FlowView(f);
        g.writeObjectFieldStart("flow");
        g.writeNumberField("detection_packets", f.detectionPackets);
        g.writeStringField("digest", f.digest);
        writeDigestPrev(g, f);
        g.writeNumberField("last_seen_at", f.lastSeenMs);
        g.writeNumberField("local_bytes", v.intervalLocalBytes());
        g.writeNumberField("local_packets", v.intervalLocalPackets());
        g.writeNumberField("local_rate", Math.round(v.localRate()));
        g.writeNumberField("other_bytes", v.intervalOtherBytes());
        g.writeNumberField("other_packets", v.intervalOtherPackets());
        g.writeNumberField("other_rate", Math.round(v.otherRate()));
        writeTcp(g, f);
        g.writeNumberField("total_bytes", f.totalBytes());
        g.writeNumberField("total_packets", f.totalPackets());
        g.writeEndObject();
    }

    private static void writeEnvelope(JsonGenerator g, FlowState f, String type)
            throws IOException {
        g.writeStringField("interface", f.interfaceName);
        g.writeBooleanField("internal", f.internal);
        g.writeStringField("type", type);
    }

    private static void writeDigestPrev(JsonGenerator g, FlowState f) throws IOException {
        g.writeArrayFieldStart("digest_prev");
        if (f.digestPrev != null) {
            for (String d : f.digestPrev) {
                g.writeString(d);
            }
        }
        g.writeEndArray();
    }

    private static void writeTcp(JsonGenerator g, FlowState f) throws IOException {
        if (!f.isTcp()) {
            return;
        }
        g.writeObjectFieldStart("tcp");
        g.writeNumberField("resets", f.tcpResets);
        g.writeNumberField("retrans", f.tcpRetrans);
        g.writeNumberField("seq_errors", f.tcpSeqErrors);
        g.writeEndObject();
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] render(Body body) {
        buffer.reset();
        try (JsonGenerator g = factory.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("rendering a record in memory cannot fail", e);
        }
        return buffer.toByteArray();
    }
}
