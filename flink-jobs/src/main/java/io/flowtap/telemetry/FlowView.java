package io.flowtap.telemetry;

import io.flowtap.flow.FlowState;

/** Reads a flow's lower/upper state as local/other, the way Netify's records present it. */
final class FlowView {
    private final FlowState f;

    FlowView(FlowState f) {
        this.f = f;
    }

    byte[] localAddr() {
        return f.lowerIsLocal ? f.lowerAddr : f.upperAddr;
    }

    byte[] otherAddr() {
        return f.lowerIsLocal ? f.upperAddr : f.lowerAddr;
    }

    int localPort() {
        return f.lowerIsLocal ? f.lowerPort : f.upperPort;
    }

    int otherPort() {
        return f.lowerIsLocal ? f.upperPort : f.lowerPort;
    }

    byte[] localMac() {
        return f.lowerIsLocal ? f.lowerMac : f.upperMac;
    }

    byte[] otherMac() {
        return f.lowerIsLocal ? f.upperMac : f.lowerMac;
    }

    boolean localOrigin() {
        return f.lowerIsLocal == f.lowerIsOrigin;
    }

    long localPackets() {
        return f.lowerIsLocal ? f.lowerPackets : f.upperPackets;
    }

    long localBytes() {
        return f.lowerIsLocal ? f.lowerBytes : f.upperBytes;
    }

    long otherPackets() {
        return f.lowerIsLocal ? f.upperPackets : f.lowerPackets;
    }

    long otherBytes() {
        return f.lowerIsLocal ? f.upperBytes : f.lowerBytes;
    }

    long intervalLocalPackets() {
        return f.lowerIsLocal ? f.intervalLowerPackets : f.intervalUpperPackets;
    }

    long intervalLocalBytes() {
        return f.lowerIsLocal ? f.intervalLowerBytes : f.intervalUpperBytes;
    }

    long intervalOtherPackets() {
        return f.lowerIsLocal ? f.intervalUpperPackets : f.intervalLowerPackets;
    }

    long intervalOtherBytes() {
        return f.lowerIsLocal ? f.intervalUpperBytes : f.intervalLowerBytes;
    }

    float localRate() {
        return f.lowerIsLocal ? f.lowerRate : f.upperRate;
    }

    float otherRate() {
        return f.lowerIsLocal ? f.upperRate : f.lowerRate;
    }

    /** Bytes per active second so far in the current interval (for records between ticks). */
    float currentLocalRate() {
        return f.lowerIsLocal
                ? rate(f.intervalLowerBytes, f.lowerActiveSeconds)
                : rate(f.intervalUpperBytes, f.upperActiveSeconds);
    }

    float currentOtherRate() {
        return f.lowerIsLocal
                ? rate(f.intervalUpperBytes, f.upperActiveSeconds)
                : rate(f.intervalLowerBytes, f.lowerActiveSeconds);
    }

    private static float rate(long bytes, int seconds) {
        return seconds > 0 ? (float) bytes / seconds : 0f;
    }
}
