package io.flowtap.telemetry;

import io.flowtap.dpi.Protocols;
import io.flowtap.flow.FlowState;
import io.flowtap.flow.PurgeReason;
import io.flowtap.schema.FlowRow;

import java.util.Arrays;

/** Builds the Parquet {@code flows} row of a purged flow. */
public final class FlowRows {
    private FlowRows() {}

    public static FlowRow of(FlowState f, long purgedAtMs, PurgeReason reason) {
        FlowView v = new FlowView(f);
        boolean tcp = f.isTcp();
        return FlowRow.newBuilder()
                .setAgentId(f.agentId)
                .setInterface$(f.interfaceName)
                .setInternal(f.internal)
                .setDigest(f.digest)
                .setDigestPrev(
                        f.digestPrev == null ? java.util.List.of() : Arrays.asList(f.digestPrev))
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
                .build();
    }
}
