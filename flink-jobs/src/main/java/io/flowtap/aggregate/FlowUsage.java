package io.flowtap.aggregate;

import io.flowtap.expr.FlowAttributes;

/**
 * What one flow carried in one stretch of event time (an update interval, or after aggregation a
 * whole log interval), with the flow's identity and DPI results at the end of it. Flink POJO.
 */
public class FlowUsage implements FlowAttributes {
    /** Event time the stretch starts (inclusive) and ends (exclusive), in ms. */
    public long startMs;

    public long endMs;

    /** Stable identity of the flow: agent and first digest. */
    public String flowId;

    public String digest;
    public String interfaceName;
    public boolean internal;
    public int ipVersion;
    public int ipProtocol;
    public int vlanId;
    public byte[] localAddr;
    public byte[] otherAddr;
    public byte[] localMacAddr;
    public byte[] otherMacAddr;
    public String localIp;
    public String otherIp;
    public String localMac;
    public String otherMac;
    public int localPortNumber;
    public int otherPortNumber;
    public String otherTypeName;

    /** Whether the local end's address is in a local network. */
    public boolean localInLocalNetwork;

    public boolean localOrigin;
    public boolean nat;
    public boolean complete;
    public int application;

    /** {@code <id>.<tag>}, or {@code Unknown}. */
    public String applicationName;

    public int applicationCategory;
    public int protocol;
    public String protocolNameText;
    public int protocolCategory;
    public String hostname;
    public String dnsHostnameText;
    public int tls;

    public long localBytes;
    public long otherBytes;
    public long localPackets;
    public long otherPackets;

    public FlowUsage() {}

    /** Adds another stretch of the same flow (or row): counters sum, the later identity wins. */
    public FlowUsage plus(FlowUsage later) {
        FlowUsage u = later.copy();
        u.startMs = Math.min(startMs, later.startMs);
        u.endMs = Math.max(endMs, later.endMs);
        u.localBytes += localBytes;
        u.otherBytes += otherBytes;
        u.localPackets += localPackets;
        u.otherPackets += otherPackets;
        return u;
    }

    public FlowUsage copy() {
        FlowUsage u = new FlowUsage();
        u.startMs = startMs;
        u.endMs = endMs;
        u.flowId = flowId;
        u.digest = digest;
        u.interfaceName = interfaceName;
        u.internal = internal;
        u.ipVersion = ipVersion;
        u.ipProtocol = ipProtocol;
        u.vlanId = vlanId;
        u.localAddr = localAddr;
        u.otherAddr = otherAddr;
        u.localMacAddr = localMacAddr;
        u.otherMacAddr = otherMacAddr;
        u.localIp = localIp;
        u.otherIp = otherIp;
        u.localMac = localMac;
        u.otherMac = otherMac;
        u.localPortNumber = localPortNumber;
        u.otherPortNumber = otherPortNumber;
        u.otherTypeName = otherTypeName;
        u.localInLocalNetwork = localInLocalNetwork;
        u.localOrigin = localOrigin;
        u.nat = nat;
        u.complete = complete;
        u.application = application;
        u.applicationName = applicationName;
        u.applicationCategory = applicationCategory;
        u.protocol = protocol;
        u.protocolNameText = protocolNameText;
        u.protocolCategory = protocolCategory;
        u.hostname = hostname;
        u.dnsHostnameText = dnsHostnameText;
        u.tls = tls;
        u.localBytes = localBytes;
        u.otherBytes = otherBytes;
        u.localPackets = localPackets;
        u.otherPackets = otherPackets;
        return u;
    }

    public long packets() {
        return localPackets + otherPackets;
    }

    @Override
    public int applicationId() {
        return application;
    }

    @Override
    public String applicationTag() {
        String n = applicationName == null ? "" : applicationName;
        int dot = n.indexOf('.');
        return dot > 0 && n.substring(0, dot).chars().allMatch(Character::isDigit)
                ? n.substring(dot + 1)
                : "";
    }

    @Override
    public int applicationCategoryId() {
        return applicationCategory;
    }

    @Override
    public String applicationCategoryTag() {
        return "";
    }

    @Override
    public int protocolId() {
        return protocol;
    }

    @Override
    public String protocolName() {
        return protocolNameText == null ? "" : protocolNameText;
    }

    @Override
    public int protocolCategoryId() {
        return protocolCategory;
    }

    @Override
    public String protocolCategoryTag() {
        return "";
    }

    @Override
    public String detectedHostname() {
        return hostname == null ? "" : hostname;
    }

    @Override
    public String dnsHostname() {
        return dnsHostnameText == null ? "" : dnsHostnameText;
    }

    @Override
    public byte[] localIp() {
        return localAddr;
    }

    @Override
    public byte[] otherIp() {
        return otherAddr;
    }

    @Override
    public byte[] localMac() {
        return localMacAddr;
    }

    @Override
    public byte[] otherMac() {
        return otherMacAddr;
    }

    @Override
    public int localPort() {
        return localPortNumber;
    }

    @Override
    public int otherPort() {
        return otherPortNumber;
    }

    @Override
    public int ipProtocol() {
        return ipProtocol;
    }

    @Override
    public String otherType() {
        return otherTypeName == null ? "unknown" : otherTypeName;
    }

    @Override
    public String origin() {
        return localOrigin ? "local" : "other";
    }

    @Override
    public int vlanId() {
        return vlanId;
    }

    @Override
    public int tlsVersion() {
        return tls;
    }

    @Override
    public boolean ipNat() {
        return nat;
    }

    @Override
    public boolean detectionComplete() {
        return complete;
    }
}
