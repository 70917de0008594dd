package io.flowtap.telemetry;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Protocols;
import io.flowtap.flow.FlowState;

/** A flow's interval counters as a {@link FlowUsage}, read local/other as Netify's records are. */
public final class FlowUsages {
    private FlowUsages() {}

    public static FlowUsage of(FlowState f, long startMs, long endMs) {
        FlowView v = new FlowView(f);
        FlowMetadata m = f.meta;
        FlowUsage u = new FlowUsage();
        u.startMs = startMs;
        u.endMs = endMs;
        u.flowId =
                f.agentId
                        + "/"
                        + (f.digestPrev != null && f.digestPrev.length > 0
                                ? f.digestPrev[0]
                                : f.digest);
        u.digest = f.digest;
        u.interfaceName = f.interfaceName;
        u.internal = f.internal;
        u.ipVersion = f.ipVersion;
        u.ipProtocol = f.ipProtocol;
        u.vlanId = f.vlanId;
        u.localAddr = v.localAddr();
        u.otherAddr = v.otherAddr();
        u.localMacAddr = v.localMac();
        u.otherMacAddr = v.otherMac();
        u.localIp = Addresses.ip(u.localAddr);
        u.otherIp = Addresses.ip(u.otherAddr);
        u.localMac = Addresses.mac(u.localMacAddr);
        u.otherMac = Addresses.mac(u.otherMacAddr);
        u.localPortNumber = v.localPort();
        u.otherPortNumber = v.otherPort();
        u.otherTypeName = f.otherType;
        u.localInLocalNetwork = f.localInLocalNetwork;
        u.localOrigin = v.localOrigin();
        u.complete = f.dpiComplete;
        u.application = m.application;
        u.applicationName = m.applicationTag == null ? "Unknown" : m.applicationTag;
        u.applicationCategory = m.applicationCategory;
        u.protocol = m.protocol;
        u.protocolNameText = Protocols.name(m.protocol);
        u.protocolCategory = m.protocolCategory;
        u.hostname = m.hostServerName;
        u.dnsHostnameText = m.dnsHostName;
        u.tls = tlsVersion(m.tlsVersion);
        u.localBytes = v.intervalLocalBytes();
        u.otherBytes = v.intervalOtherBytes();
        u.localPackets = v.intervalLocalPackets();
        u.otherPackets = v.intervalOtherPackets();
        return u;
    }

    /** {@code 0x0303} as written in the flow records, as a number; 0 when none. */
    static int tlsVersion(String hex) {
        if (hex == null || !hex.startsWith("0x") || hex.length() != 6) {
            return 0;
        }
        try {
            return Integer.parseInt(hex.substring(2), 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
