package io.flowtap.telemetry;

import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Protocols;
import io.flowtap.flow.FlowState;
import io.flowtap.flow.PurgeReason;
import io.flowtap.schema.FlowRow;

import java.util.Arrays;
import java.util.List;

/** Builds the Parquet {@code flows} row of a purged flow. */
public final class FlowRows {
    private FlowRows() {}

    public static FlowRow of(FlowState f, long purgedAtMs, PurgeReason reason) {
        FlowView v = new FlowView(f);
        FlowMetadata m = f.meta;
        boolean tcp = f.isTcp();
        return FlowRow.newBuilder()
                .setAgentId(f.agentId)
                .setInterface$(f.interfaceName)
                .setInternal(f.internal)
                .setDigest(f.digest)
                .setDigestPrev(f.digestPrev == null ? List.of() : Arrays.asList(f.digestPrev))
                .setIpVersion(f.ipVersion)
                .setIpProtocol(f.ipProtocol)
                .setVlanId(f.vlanId)
                .setIpDscp(f.ipDscp)
                .setLocalIp(Addresses.ip(v.localAddr()))
                .setLocalPort(v.localPort())
                .setLocalMac(Addresses.mac(v.localMac()))
                .setOtherIp(Addresses.ip(v.otherAddr()))
                .setOtherPort(v.otherPort())
                .setOtherMac(Addresses.mac(v.otherMac()))
                .setOtherType(f.otherType)
                .setLocalOrigin(v.localOrigin())
                .setFirstSeenAt(java.time.Instant.ofEpochMilli(f.firstSeenMs))
                .setLastSeenAt(java.time.Instant.ofEpochMilli(f.lastSeenMs))
                .setPurgedAt(java.time.Instant.ofEpochMilli(purgedAtMs))
                .setPurgeReason(reason.json())
                .setLocalPackets(v.localPackets())
                .setLocalBytes(v.localBytes())
                .setOtherPackets(v.otherPackets())
                .setOtherBytes(v.otherBytes())
                .setTotalPackets(f.totalPackets())
                .setTotalBytes(f.totalBytes())
                .setTcpResets(tcp ? f.tcpResets : null)
                .setTcpRetrans(tcp ? f.tcpRetrans : null)
                .setTcpSeqErrors(tcp ? f.tcpSeqErrors : null)
                .setDetectedProtocol(f.meta.protocol)
                .setDetectedProtocolName(Protocols.name(f.meta.protocol))
                .setDetectedApplication(f.meta.application)
                .setDetectedApplicationName(
                        f.meta.applicationTag == null ? "Unknown" : f.meta.applicationTag)
                .setDetectionGuessed(f.meta.detectionGuessed)
                .setDetectionPackets(f.detectionPackets)
                .setHostServerName(f.meta.hostServerName)
                .setDnsHostName(f.meta.dnsHostName)
                .setApplicationCategory(m.applicationCategory)
                .setDhcHit(m.dhcHit)
                .setSslVersion(m.tlsVersion)
                .setSslCipherSuite(m.tlsCipherSuite)
                .setSslClientSni(m.tlsClientSni)
                .setSslClientJa4(m.tlsJa4)
                .setSslAlpn(list(m.tlsAlpn))
                .setSslAlpnServer(list(m.tlsAlpnServer))
                .setSslServerCn(m.tlsServerCn)
                .setSslSubjectDn(m.tlsSubjectDn)
                .setSslIssuerDn(m.tlsIssuerDn)
                .setSslFingerprint(m.tlsFingerprint)
                .setHttpUrl(m.httpUrl)
                .setHttpUserAgent(m.httpUserAgent)
                .setSshClient(m.sshClient)
                .setSshServer(m.sshServer)
                .setDhcpFingerprint(m.dhcpFingerprint)
                .setDhcpClassIdent(m.dhcpClassIdent)
                .setMdnsAnswer(m.mdnsAnswer)
                .setSsdpUserAgent(m.ssdpUserAgent)
                .setBtInfoHash(m.btInfoHash)
                .setRisks(m.risks == null ? List.of() : Arrays.stream(m.risks).boxed().toList())
                .setRiskScore(m.riskScore)
                .setRiskScoreClient(m.riskScoreClient)
                .setRiskScoreServer(m.riskScoreServer)
                .build();
    }

    private static List<String> list(String[] values) {
        return values == null ? null : Arrays.asList(values);
    }
}
