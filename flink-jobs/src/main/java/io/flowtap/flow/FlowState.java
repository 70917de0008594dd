package io.flowtap.flow;

import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.FlowMetadata;

/**
 * Everything the tracker keeps for one flow, in keyed state. A Flink POJO of primitives, strings
 * and byte arrays (about 300 bytes serialized), so it is serialized without Kryo and its size is
 * bounded. "Lower"/"upper" follow the flow key's endpoint order; the local side is decided once,
 * when the flow is created.
 */
public class FlowState {
    // Identity.
    public String agentId;
    public String interfaceName;
    public String digest;
    public String[] digestPrev;
    public int ipVersion;
    public int ipProtocol;
    public int vlanId;
    public byte[] lowerAddr;
    public byte[] upperAddr;
    public int lowerPort;
    public int upperPort;
    public byte[] lowerMac;
    public byte[] upperMac;
    public int ipDscp;

    // Sides.
    public boolean internal;
    public boolean lowerIsLocal;

    /** Whether the local end's address is in a local network (not so when neither end is). */
    public boolean localInLocalNetwork;

    public boolean lowerIsOrigin;
    public String otherType;

    /** The indicators (by their index in the settings) that have fired for this flow. */
    public long intelFired;

    // Times, epoch milliseconds.
    public long firstSeenMs;
    public long lastSeenMs;

    /** Next update tick (a multiple of the update interval) at which the flow is examined. */
    public long nextTickMs;

    /** The event-time timer currently registered, or {@link Long#MIN_VALUE}. */
    public long timerMs = Long.MIN_VALUE;

    // Lifetime counters; bytes are wire bytes (link header included).
    public long lowerPackets;
    public long lowerBytes;
    public long upperPackets;
    public long upperBytes;

    // Counters since the last flow_stats.
    public long intervalLowerPackets;
    public long intervalLowerBytes;
    public long intervalUpperPackets;
    public long intervalUpperBytes;

    // Rates: bytes per active second of the last interval that had traffic.
    public int lowerActiveSeconds;
    public int upperActiveSeconds;
    public long lowerLastSecond = -1;
    public long upperLastSecond = -1;
    public float lowerRate;
    public float upperRate;

    // TCP.
    public boolean closing;
    public boolean lowerSeqValid;
    public boolean upperSeqValid;
    public int lowerNextSeq;
    public int upperNextSeq;
    public boolean lowerFin;
    public boolean upperFin;
    public int lowerFinSeq;
    public int upperFinSeq;
    public long tcpResets;
    public long tcpRetrans;
    public long tcpSeqErrors;

    // DPI.
    public int detectionPackets;

    /** What DPI learnt; kept for the flow's life. */
    public FlowMetadata meta = new FlowMetadata();

    /** Inspection state while DPI runs, null once it is complete (the fast path). */
    public DpiState dpi;

    public boolean dpiComplete;

    /** The flow record was emitted (at detection, or when inspection ended without one). */
    public boolean flowEmitted;

    public FlowState() {}

    public long totalPackets() {
        return lowerPackets + upperPackets;
    }

    public long totalBytes() {
        return lowerBytes + upperBytes;
    }

    public long intervalPackets() {
        return intervalLowerPackets + intervalUpperPackets;
    }

    public boolean isTcp() {
        return ipProtocol == 6;
    }
}
