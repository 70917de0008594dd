package io.flowtap.telemetry;

import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Protocols;
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
    public static final String TYPE_FLOW_DPI_UPDATE = "flow_dpi_update";
    public static final String TYPE_FLOW_DPI_COMPLETE = "flow_dpi_complete";
    private static final String UNKNOWN = "Unknown";

    private final JsonFactory factory = new JsonFactory();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    /** The {@code flow} record: when DPI first knows the protocol. */
    public byte[] flow(FlowState f) {
        return flow(f, TYPE_FLOW);
    }

    /**
     * A record with the whole flow body: {@code flow}, {@code flow_dpi_update} or {@code
     * flow_dpi_complete}.
     */
    public byte[] flow(FlowState f, String type) {
        FlowView v = new FlowView(f);
        FlowMetadata m = f.meta;
        return render(
                g -> {
                    g.writeObjectFieldStart("flow");
                    g.writeBooleanField("app_ip_override", false);
                    g.writeBooleanField("app_proto_twins", false);
                    if (m.btInfoHash != null) {
                        g.writeObjectFieldStart("bt");
                        g.writeStringField("info_hash", m.btInfoHash);
                        g.writeEndObject();
                    }
                    g.writeObjectFieldStart("category");
                    g.writeNumberField("application", m.applicationCategory);
                    g.writeNumberField("domain", m.domainCategory);
                    g.writeNumberField("local_network", 0);
                    g.writeNumberField("other_network", 0);
                    g.writeNumberField("overlay", 0);
                    g.writeNumberField("protocol", m.protocolCategory);
                    g.writeEndObject();
                    g.writeNumberField("detected_application", m.application);
                    g.writeStringField(
                            "detected_application_name",
                            m.applicationTag == null ? UNKNOWN : m.applicationTag);
                    g.writeNumberField("detected_protocol", m.protocol);
                    g.writeStringField("detected_protocol_name", Protocols.name(m.protocol));
                    g.writeBooleanField("detection_guessed", m.detectionGuessed);
                    g.writeNumberField("detection_packets", f.detectionPackets);
                    g.writeBooleanField("detection_updated", m.detectionUpdated);
                    g.writeBooleanField("dhc_hit", m.dhcHit);
                    if (m.dhcpFingerprint != null || m.dhcpClassIdent != null) {
                        g.writeObjectFieldStart("dhcp");
                        g.writeStringField("class_ident", orEmpty(m.dhcpClassIdent));
                        g.writeStringField("fingerprint", orEmpty(m.dhcpFingerprint));
                        g.writeEndObject();
                    }
                    g.writeStringField("digest", f.digest);
                    writeDigestPrev(g, f);
                    g.writeStringField("dns_host_name", orEmpty(m.dnsHostName));
                    g.writeBooleanField("fhc_hit", false);
                    g.writeNumberField("first_seen_at", f.firstSeenMs);
                    g.writeStringField("host_server_name", orEmpty(m.hostServerName));
                    if (m.httpUrl != null || m.httpUserAgent != null) {
                        g.writeObjectFieldStart("http");
                        g.writeStringField("url", orEmpty(m.httpUrl));
                        g.writeStringField("user_agent", orEmpty(m.httpUserAgent));
                        g.writeEndObject();
                    }
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
                    if (m.mdnsAnswer != null) {
                        g.writeObjectFieldStart("mdns");
                        g.writeStringField("answer", m.mdnsAnswer);
                        g.writeEndObject();
                    }
                    g.writeNumberField("other_bytes", v.otherBytes());
                    g.writeStringField("other_ip", Addresses.ip(v.otherAddr()));
                    g.writeStringField("other_mac", Addresses.mac(v.otherMac()));
                    g.writeNumberField("other_packets", v.otherPackets());
                    g.writeNumberField("other_port", v.otherPort());
                    g.writeNumberField("other_rate", v.currentOtherRate());
                    g.writeStringField("other_type", f.otherType);
                    writeRisks(g, m);
                    g.writeBooleanField("soft_dissector", m.softDissector);
                    if (m.ssdpUserAgent != null) {
                        g.writeObjectFieldStart("ssdp");
                        g.writeStringField("user_agent", m.ssdpUserAgent);
                        g.writeEndObject();
                    }
                    if (m.sshClient != null || m.sshServer != null) {
                        g.writeObjectFieldStart("ssh");
                        writeOptional(g, "client", m.sshClient);
                        writeOptional(g, "server", m.sshServer);
                        g.writeEndObject();
                    }
                    writeTls(g, m);
                    writeStun(g, m);
                    writeTcp(g, f);
                    g.writeNumberField("total_bytes", f.totalBytes());
                    g.writeNumberField("total_packets", f.totalPackets());
                    g.writeNumberField("vlan_id", f.vlanId);
                    g.writeEndObject();
                    writeEnvelope(g, f, type);
                });
    }

    private static void writeTls(JsonGenerator g, FlowMetadata m) throws IOException {
        if (!m.hasTls()) {
            return;
        }
        g.writeObjectFieldStart("ssl");
        writeArray(g, "alpn", m.tlsAlpn);
        writeArray(g, "alpn_server", m.tlsAlpnServer);
        writeOptional(g, "cipher_suite", m.tlsCipherSuite);
        writeOptional(g, "client_ja4", m.tlsJa4);
        writeOptional(g, "client_sni", m.tlsClientSni);
        writeOptional(g, "encrypted_ch_version", m.tlsEchVersion);
        writeOptional(g, "fingerprint", m.tlsFingerprint);
        writeOptional(g, "issuer_dn", m.tlsIssuerDn);
        writeOptional(g, "server_cn", m.tlsServerCn);
        writeOptional(g, "subject_dn", m.tlsSubjectDn);
        writeOptional(g, "version", m.tlsVersion);
        g.writeEndObject();
    }

    private static void writeStun(JsonGenerator g, FlowMetadata m) throws IOException {
        if (m.stunMapped == null && m.stunOther == null && m.stunPeer == null) {
            return;
        }
        g.writeObjectFieldStart("stun");
        g.writeStringField("mapped", orEmpty(m.stunMapped));
        g.writeStringField("other", orEmpty(m.stunOther));
        g.writeStringField("peer", orEmpty(m.stunPeer));
        writeOptional(g, "relayed", m.stunRelayed);
        writeOptional(g, "response", m.stunResponse);
        g.writeEndObject();
    }

    private static void writeRisks(JsonGenerator g, FlowMetadata m) throws IOException {
        g.writeObjectFieldStart("risks");
        g.writeNumberField("ndpi_risk_score", m.riskScore);
        g.writeNumberField("ndpi_risk_score_client", m.riskScoreClient);
        g.writeNumberField("ndpi_risk_score_server", m.riskScoreServer);
        g.writeArrayFieldStart("risks");
        if (m.risks != null) {
            for (int r : m.risks) {
                g.writeNumber(r);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeArray(JsonGenerator g, String name, String[] values)
            throws IOException {
        if (values == null) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void writeOptional(JsonGenerator g, String name, String value)
            throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
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
