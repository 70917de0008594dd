package io.flowtap.telemetry;

import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Protocols;
import io.flowtap.flow.FlowState;
import io.flowtap.flow.PurgeReason;
import io.flowtap.schema.FlowRow;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Builds the Parquet {@code flows} row of a purged flow. */
public final class FlowRows {
    /**
     * Columns whose values rarely repeat from one flow to the next: the Parquet writer gives them
     * no dictionary (which would cost a lookup per value and be dropped once it outgrew its page).
     */
    public static final Set<String> UNIQUE_COLUMNS =
            Set.of(
                    "digest",
                    "digest_prev",
                    "local_port",
                    "other_port",
                    "first_seen_at",
                    "last_seen_at",
                    "purged_at",
                    "local_packets",
                    "local_bytes",
                    "other_packets",
                    "other_bytes",
                    "total_packets",
                    "total_bytes");

    private FlowRows() {}

    public static FlowRow of(FlowState f, long purgedAtMs, PurgeReason reason) {
        FlowView v = new FlowView(f);
        FlowMetadata m = f.meta;
        boolean tcp = f.isTcp();
        // Setters, not the builder: the builder validates and copies every one of the many
        // fields again.
        FlowRow r = new FlowRow();
        r.setAgentId(f.agentId);
        r.setInterface$(f.interfaceName);
        r.setInternal(f.internal);
        r.setDigest(f.digest);
        r.setDigestPrev(f.digestPrev == null ? List.of() : Arrays.asList(f.digestPrev));
        r.setIpVersion(f.ipVersion);
        r.setIpProtocol(f.ipProtocol);
        r.setVlanId(f.vlanId);
        r.setIpDscp(f.ipDscp);
        r.setLocalIp(Addresses.ip(v.localAddr()));
        r.setLocalPort(v.localPort());
        r.setLocalMac(Addresses.mac(v.localMac()));
        r.setOtherIp(Addresses.ip(v.otherAddr()));
        r.setOtherPort(v.otherPort());
        r.setOtherMac(Addresses.mac(v.otherMac()));
        r.setOtherType(f.otherType);
        r.setLocalOrigin(v.localOrigin());
        r.setFirstSeenAt(java.time.Instant.ofEpochMilli(f.firstSeenMs));
        r.setLastSeenAt(java.time.Instant.ofEpochMilli(f.lastSeenMs));
        r.setPurgedAt(java.time.Instant.ofEpochMilli(purgedAtMs));
        r.setPurgeReason(reason.json());
        r.setLocalPackets(v.localPackets());
        r.setLocalBytes(v.localBytes());
        r.setOtherPackets(v.otherPackets());
        r.setOtherBytes(v.otherBytes());
        r.setTotalPackets(f.totalPackets());
        r.setTotalBytes(f.totalBytes());
        r.setTcpResets(tcp ? f.tcpResets : null);
        r.setTcpRetrans(tcp ? f.tcpRetrans : null);
        r.setTcpSeqErrors(tcp ? f.tcpSeqErrors : null);
        r.setDetectedProtocol(f.meta.protocol);
        r.setDetectedProtocolName(Protocols.name(f.meta.protocol));
        r.setDetectedApplication(f.meta.application);
        r.setDetectedApplicationName(
                f.meta.applicationTag == null ? "Unknown" : f.meta.applicationTag);
        r.setDetectionGuessed(f.meta.detectionGuessed);
        r.setDetectionPackets(f.detectionPackets);
        r.setHostServerName(f.meta.hostServerName);
        r.setDnsHostName(f.meta.dnsHostName);
        r.setApplicationCategory(m.applicationCategory);
        r.setDhcHit(m.dhcHit);
        r.setSslVersion(m.tlsVersion);
        r.setSslCipherSuite(m.tlsCipherSuite);
        r.setSslClientSni(m.tlsClientSni);
        r.setSslClientJa4(m.tlsJa4);
        r.setSslAlpn(list(m.tlsAlpn));
        r.setSslAlpnServer(list(m.tlsAlpnServer));
        r.setSslServerCn(m.tlsServerCn);
        r.setSslSubjectDn(m.tlsSubjectDn);
        r.setSslIssuerDn(m.tlsIssuerDn);
        r.setSslFingerprint(m.tlsFingerprint);
        r.setHttpUrl(m.httpUrl);
        r.setHttpUserAgent(m.httpUserAgent);
        r.setSshClient(m.sshClient);
        r.setSshServer(m.sshServer);
        r.setDhcpFingerprint(m.dhcpFingerprint);
        r.setDhcpClassIdent(m.dhcpClassIdent);
        r.setMdnsAnswer(m.mdnsAnswer);
        r.setSsdpUserAgent(m.ssdpUserAgent);
        r.setBtInfoHash(m.btInfoHash);
        r.setRisks(risks(m.risks));
        r.setRiskScore(m.riskScore);
        r.setRiskScoreClient(m.riskScoreClient);
        r.setRiskScoreServer(m.riskScoreServer);
        return r;
    }

    private static List<Integer> risks(int[] risks) {
        if (risks == null || risks.length == 0) {
            return List.of();
        }
        Integer[] boxed = new Integer[risks.length];
        for (int i = 0; i < risks.length; i++) {
            boxed[i] = risks[i];
        }
        return List.of(boxed);
    }

    private static List<String> list(String[] values) {
        return values == null ? null : Arrays.asList(values);
    }
}
