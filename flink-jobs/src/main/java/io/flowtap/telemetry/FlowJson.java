package io.flowtap.telemetry;

import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Protocols;
import io.flowtap.flow.FlowState;
import io.flowtap.flow.PurgeReason;
import io.flowtap.telemetry.JsonWriter.Name;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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

    private static final Name ALPN = JsonWriter.name("alpn");
    private static final Name ALPN_SERVER = JsonWriter.name("alpn_server");
    private static final Name ANSWER = JsonWriter.name("answer");
    private static final Name APP_IP_OVERRIDE = JsonWriter.name("app_ip_override");
    private static final Name APP_PROTO_TWINS = JsonWriter.name("app_proto_twins");
    private static final Name APPLICATION = JsonWriter.name("application");
    private static final Name BT = JsonWriter.name("bt");
    private static final Name CATEGORY = JsonWriter.name("category");
    private static final Name CIPHER_SUITE = JsonWriter.name("cipher_suite");
    private static final Name CLASS_IDENT = JsonWriter.name("class_ident");
    private static final Name CLIENT = JsonWriter.name("client");
    private static final Name CLIENT_JA4 = JsonWriter.name("client_ja4");
    private static final Name CLIENT_SNI = JsonWriter.name("client_sni");
    private static final Name DETECTED_APPLICATION = JsonWriter.name("detected_application");
    private static final Name DETECTED_APPLICATION_NAME =
            JsonWriter.name("detected_application_name");
    private static final Name DETECTED_PROTOCOL = JsonWriter.name("detected_protocol");
    private static final Name DETECTED_PROTOCOL_NAME = JsonWriter.name("detected_protocol_name");
    private static final Name DETECTION_GUESSED = JsonWriter.name("detection_guessed");
    private static final Name DETECTION_PACKETS = JsonWriter.name("detection_packets");
    private static final Name DETECTION_UPDATED = JsonWriter.name("detection_updated");
    private static final Name DHC_HIT = JsonWriter.name("dhc_hit");
    private static final Name DHCP = JsonWriter.name("dhcp");
    private static final Name DIGEST = JsonWriter.name("digest");
    private static final Name DIGEST_PREV = JsonWriter.name("digest_prev");
    private static final Name DNS_HOST_NAME = JsonWriter.name("dns_host_name");
    private static final Name DOMAIN = JsonWriter.name("domain");
    private static final Name ENCRYPTED_CH_VERSION = JsonWriter.name("encrypted_ch_version");
    private static final Name FHC_HIT = JsonWriter.name("fhc_hit");
    private static final Name FINGERPRINT = JsonWriter.name("fingerprint");
    private static final Name FIRST_SEEN_AT = JsonWriter.name("first_seen_at");
    private static final Name FLOW = JsonWriter.name("flow");
    private static final Name HOST_SERVER_NAME = JsonWriter.name("host_server_name");
    private static final Name HTTP = JsonWriter.name("http");
    private static final Name INFO_HASH = JsonWriter.name("info_hash");
    private static final Name INTERFACE = JsonWriter.name("interface");
    private static final Name INTERNAL = JsonWriter.name("internal");
    private static final Name IP_DSCP = JsonWriter.name("ip_dscp");
    private static final Name IP_NAT = JsonWriter.name("ip_nat");
    private static final Name IP_PROTOCOL = JsonWriter.name("ip_protocol");
    private static final Name IP_VERSION = JsonWriter.name("ip_version");
    private static final Name ISSUER_DN = JsonWriter.name("issuer_dn");
    private static final Name LAST_SEEN_AT = JsonWriter.name("last_seen_at");
    private static final Name LOCAL_BYTES = JsonWriter.name("local_bytes");
    private static final Name LOCAL_IP = JsonWriter.name("local_ip");
    private static final Name LOCAL_MAC = JsonWriter.name("local_mac");
    private static final Name LOCAL_NETWORK = JsonWriter.name("local_network");
    private static final Name LOCAL_ORIGIN = JsonWriter.name("local_origin");
    private static final Name LOCAL_PACKETS = JsonWriter.name("local_packets");
    private static final Name LOCAL_PORT = JsonWriter.name("local_port");
    private static final Name LOCAL_RATE = JsonWriter.name("local_rate");
    private static final Name MAPPED = JsonWriter.name("mapped");
    private static final Name MDNS = JsonWriter.name("mdns");
    private static final Name NDPI_RISK_SCORE = JsonWriter.name("ndpi_risk_score");
    private static final Name NDPI_RISK_SCORE_CLIENT = JsonWriter.name("ndpi_risk_score_client");
    private static final Name NDPI_RISK_SCORE_SERVER = JsonWriter.name("ndpi_risk_score_server");
    private static final Name OTHER = JsonWriter.name("other");
    private static final Name OTHER_BYTES = JsonWriter.name("other_bytes");
    private static final Name OTHER_IP = JsonWriter.name("other_ip");
    private static final Name OTHER_MAC = JsonWriter.name("other_mac");
    private static final Name OTHER_NETWORK = JsonWriter.name("other_network");
    private static final Name OTHER_PACKETS = JsonWriter.name("other_packets");
    private static final Name OTHER_PORT = JsonWriter.name("other_port");
    private static final Name OTHER_RATE = JsonWriter.name("other_rate");
    private static final Name OTHER_TYPE = JsonWriter.name("other_type");
    private static final Name OVERLAY = JsonWriter.name("overlay");
    private static final Name PEER = JsonWriter.name("peer");
    private static final Name PROTOCOL = JsonWriter.name("protocol");
    private static final Name REASON = JsonWriter.name("reason");
    private static final Name RELAYED = JsonWriter.name("relayed");
    private static final Name RESETS = JsonWriter.name("resets");
    private static final Name RESPONSE = JsonWriter.name("response");
    private static final Name RETRANS = JsonWriter.name("retrans");
    private static final Name RISKS = JsonWriter.name("risks");
    private static final Name SEQ_ERRORS = JsonWriter.name("seq_errors");
    private static final Name SERVER = JsonWriter.name("server");
    private static final Name SERVER_CN = JsonWriter.name("server_cn");
    private static final Name SOFT_DISSECTOR = JsonWriter.name("soft_dissector");
    private static final Name SSDP = JsonWriter.name("ssdp");
    private static final Name SSH = JsonWriter.name("ssh");
    private static final Name SSL = JsonWriter.name("ssl");
    private static final Name STUN = JsonWriter.name("stun");
    private static final Name SUBJECT_DN = JsonWriter.name("subject_dn");
    private static final Name TCP = JsonWriter.name("tcp");
    private static final Name TOTAL_BYTES = JsonWriter.name("total_bytes");
    private static final Name TOTAL_PACKETS = JsonWriter.name("total_packets");
    private static final Name TYPE = JsonWriter.name("type");
    private static final Name URL = JsonWriter.name("url");
    private static final Name USER_AGENT = JsonWriter.name("user_agent");
    private static final Name VERSION = JsonWriter.name("version");
    private static final Name VLAN_ID = JsonWriter.name("vlan_id");

    private final JsonWriter writer = new JsonWriter();

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
                    g.field(FLOW).startObject();
                    g.field(APP_IP_OVERRIDE, false);
                    g.field(APP_PROTO_TWINS, false);
                    if (m.btInfoHash != null) {
                        g.field(BT).startObject();
                        g.field(INFO_HASH, m.btInfoHash);
                        g.endObject();
                    }
                    g.field(CATEGORY).startObject();
                    g.field(APPLICATION, m.applicationCategory);
                    g.field(DOMAIN, m.domainCategory);
                    g.field(LOCAL_NETWORK, 0);
                    g.field(OTHER_NETWORK, 0);
                    g.field(OVERLAY, 0);
                    g.field(PROTOCOL, m.protocolCategory);
                    g.endObject();
                    g.field(DETECTED_APPLICATION, m.application);
                    g.field(
                            DETECTED_APPLICATION_NAME,
                            m.applicationTag == null ? UNKNOWN : m.applicationTag);
                    g.field(DETECTED_PROTOCOL, m.protocol);
                    g.field(DETECTED_PROTOCOL_NAME, Protocols.name(m.protocol));
                    g.field(DETECTION_GUESSED, m.detectionGuessed);
                    g.field(DETECTION_PACKETS, f.detectionPackets);
                    g.field(DETECTION_UPDATED, m.detectionUpdated);
                    g.field(DHC_HIT, m.dhcHit);
                    if (m.dhcpFingerprint != null || m.dhcpClassIdent != null) {
                        g.field(DHCP).startObject();
                        g.field(CLASS_IDENT, orEmpty(m.dhcpClassIdent));
                        g.field(FINGERPRINT, orEmpty(m.dhcpFingerprint));
                        g.endObject();
                    }
                    g.field(DIGEST, f.digest);
                    writeDigestPrev(g, f);
                    g.field(DNS_HOST_NAME, orEmpty(m.dnsHostName));
                    g.field(FHC_HIT, false);
                    g.field(FIRST_SEEN_AT, f.firstSeenMs);
                    g.field(HOST_SERVER_NAME, orEmpty(m.hostServerName));
                    if (m.httpUrl != null || m.httpUserAgent != null) {
                        g.field(HTTP).startObject();
                        g.field(URL, orEmpty(m.httpUrl));
                        g.field(USER_AGENT, orEmpty(m.httpUserAgent));
                        g.endObject();
                    }
                    g.field(IP_DSCP, f.ipDscp);
                    g.field(IP_NAT, false);
                    g.field(IP_PROTOCOL, f.ipProtocol);
                    g.field(IP_VERSION, f.ipVersion);
                    g.field(LAST_SEEN_AT, f.lastSeenMs);
                    g.field(LOCAL_BYTES, v.localBytes());
                    g.field(LOCAL_IP).ip(v.localAddr());
                    g.field(LOCAL_MAC).mac(v.localMac());
                    g.field(LOCAL_ORIGIN, v.localOrigin());
                    g.field(LOCAL_PACKETS, v.localPackets());
                    g.field(LOCAL_PORT, v.localPort());
                    g.field(LOCAL_RATE, v.currentLocalRate());
                    if (m.mdnsAnswer != null) {
                        g.field(MDNS).startObject();
                        g.field(ANSWER, m.mdnsAnswer);
                        g.endObject();
                    }
                    g.field(OTHER_BYTES, v.otherBytes());
                    g.field(OTHER_IP).ip(v.otherAddr());
                    g.field(OTHER_MAC).mac(v.otherMac());
                    g.field(OTHER_PACKETS, v.otherPackets());
                    g.field(OTHER_PORT, v.otherPort());
                    g.field(OTHER_RATE, v.currentOtherRate());
                    g.field(OTHER_TYPE, f.otherType);
                    writeRisks(g, m);
                    g.field(SOFT_DISSECTOR, m.softDissector);
                    if (m.ssdpUserAgent != null) {
                        g.field(SSDP).startObject();
                        g.field(USER_AGENT, m.ssdpUserAgent);
                        g.endObject();
                    }
                    if (m.sshClient != null || m.sshServer != null) {
                        g.field(SSH).startObject();
                        writeOptional(g, CLIENT, m.sshClient);
                        writeOptional(g, SERVER, m.sshServer);
                        g.endObject();
                    }
                    writeTls(g, m);
                    writeStun(g, m);
                    writeTcp(g, f);
                    g.field(TOTAL_BYTES, f.totalBytes());
                    g.field(TOTAL_PACKETS, f.totalPackets());
                    g.field(VLAN_ID, f.vlanId);
                    g.endObject();
                    writeEnvelope(g, f, type);
                });
    }

    private static final byte[] FLOW_TAIL = typeTail(TYPE_FLOW);
    private static final byte[] DPI_COMPLETE_TAIL = typeTail(TYPE_FLOW_DPI_COMPLETE);

    /** How a record of {@code type} ends: its type is the last field. */
    private static byte[] typeTail(String type) {
        return ("\"type\":\"" + type + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The {@code flow_dpi_complete} record of a {@code flow} record of the same moment: the same
     * body, only the type (the last field) differs, so the body is rendered once for both.
     */
    public static byte[] asDpiComplete(byte[] flowRecord) {
        int cut = flowRecord.length - FLOW_TAIL.length;
        if (cut < 0
                || !Arrays.equals(
                        flowRecord, cut, flowRecord.length, FLOW_TAIL, 0, FLOW_TAIL.length)) {
            throw new IllegalArgumentException("not a flow record");
        }
        byte[] out = Arrays.copyOf(flowRecord, cut + DPI_COMPLETE_TAIL.length);
        System.arraycopy(DPI_COMPLETE_TAIL, 0, out, cut, DPI_COMPLETE_TAIL.length);
        return out;
    }

    private static void writeTls(JsonWriter g, FlowMetadata m) {
        if (!m.hasTls()) {
            return;
        }
        g.field(SSL).startObject();
        writeArray(g, ALPN, m.tlsAlpn);
        writeArray(g, ALPN_SERVER, m.tlsAlpnServer);
        writeOptional(g, CIPHER_SUITE, m.tlsCipherSuite);
        writeOptional(g, CLIENT_JA4, m.tlsJa4);
        writeOptional(g, CLIENT_SNI, m.tlsClientSni);
        writeOptional(g, ENCRYPTED_CH_VERSION, m.tlsEchVersion);
        writeOptional(g, FINGERPRINT, m.tlsFingerprint);
        writeOptional(g, ISSUER_DN, m.tlsIssuerDn);
        writeOptional(g, SERVER_CN, m.tlsServerCn);
        writeOptional(g, SUBJECT_DN, m.tlsSubjectDn);
        writeOptional(g, VERSION, m.tlsVersion);
        g.endObject();
    }

    private static void writeStun(JsonWriter g, FlowMetadata m) {
        if (m.stunMapped == null && m.stunOther == null && m.stunPeer == null) {
            return;
        }
        g.field(STUN).startObject();
        g.field(MAPPED, orEmpty(m.stunMapped));
        g.field(OTHER, orEmpty(m.stunOther));
        g.field(PEER, orEmpty(m.stunPeer));
        writeOptional(g, RELAYED, m.stunRelayed);
        writeOptional(g, RESPONSE, m.stunResponse);
        g.endObject();
    }

    private static void writeRisks(JsonWriter g, FlowMetadata m) {
        g.field(RISKS).startObject();
        g.field(NDPI_RISK_SCORE, m.riskScore);
        g.field(NDPI_RISK_SCORE_CLIENT, m.riskScoreClient);
        g.field(NDPI_RISK_SCORE_SERVER, m.riskScoreServer);
        g.field(RISKS).startArray();
        if (m.risks != null) {
            for (int r : m.risks) {
                g.value(r);
            }
        }
        g.endArray();
        g.endObject();
    }

    private static void writeArray(JsonWriter g, Name name, String[] values) {
        if (values == null) {
            return;
        }
        g.field(name).startArray();
        for (String v : values) {
            g.value(v);
        }
        g.endArray();
    }

    private static void writeOptional(JsonWriter g, Name name, String value) {
        if (value != null) {
            g.field(name, value);
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
                    g.field(INTERFACE, f.interfaceName);
                    g.field(INTERNAL, f.internal);
                    g.field(REASON, reason.json());
                    g.field(TYPE, TYPE_FLOW_PURGE);
                });
    }

    private static void writeCounters(JsonWriter g, FlowState f) {
        FlowView v = new FlowView(f);
        g.field(FLOW).startObject();
        g.field(DETECTION_PACKETS, f.detectionPackets);
        g.field(DIGEST, f.digest);
        writeDigestPrev(g, f);
        g.field(LAST_SEEN_AT, f.lastSeenMs);
        g.field(LOCAL_BYTES, v.intervalLocalBytes());
        g.field(LOCAL_PACKETS, v.intervalLocalPackets());
        g.field(LOCAL_RATE, Math.round(v.localRate()));
        g.field(OTHER_BYTES, v.intervalOtherBytes());
        g.field(OTHER_PACKETS, v.intervalOtherPackets());
        g.field(OTHER_RATE, Math.round(v.otherRate()));
        writeTcp(g, f);
        g.field(TOTAL_BYTES, f.totalBytes());
        g.field(TOTAL_PACKETS, f.totalPackets());
        g.endObject();
    }

    private static void writeEnvelope(JsonWriter g, FlowState f, String type) {
        g.field(INTERFACE, f.interfaceName);
        g.field(INTERNAL, f.internal);
        g.field(TYPE, type);
    }

    private static void writeDigestPrev(JsonWriter g, FlowState f) {
        g.field(DIGEST_PREV).startArray();
        if (f.digestPrev != null) {
            for (String d : f.digestPrev) {
                g.value(d);
            }
        }
        g.endArray();
    }

    private static void writeTcp(JsonWriter g, FlowState f) {
        if (!f.isTcp()) {
            return;
        }
        g.field(TCP).startObject();
        g.field(RESETS, f.tcpResets);
        g.field(RETRANS, f.tcpRetrans);
        g.field(SEQ_ERRORS, f.tcpSeqErrors);
        g.endObject();
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonWriter g);
    }

    private byte[] render(Body body) {
        JsonWriter g = writer.reset();
        g.startObject();
        body.write(g);
        g.endObject();
        return g.toByteArray();
    }
}
