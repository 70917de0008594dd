package io.flowtap.dpi;

import java.util.List;

/**
 * Runs the dissectors over a flow's packets until one detects the protocol and has nothing more to
 * learn, or the packet budget ({@link #MAX_DETECTION_PACKETS}, Netify's {@code max_detection_pkts})
 * runs out. Then inspection is complete and the flow takes the fast path. Flows that no dissector
 * claims get a protocol from their IP protocol or a port guess.
 *
 * <p>Not thread-safe (one engine per operator instance); keeps no state of its own between calls.
 */
public final class DpiEngine {
    public static final int MAX_DETECTION_PACKETS = 32;

    /** Event bits returned by {@link #inspect} and {@link #finish}. */
    public static final int DETECTED = 1;

    public static final int UPDATED = 2;
    public static final int COMPLETE = 4;

    private static final int TCP_SYN = 0x02;

    private final List<Dissector> dissectors;
    private final int maxPackets;
    private final DpiContext context = new DpiContext();

    public DpiEngine() {
        this(Dissectors.ALL, MAX_DETECTION_PACKETS);
    }

    public DpiEngine(List<Dissector> dissectors, int maxPackets) {
        if (dissectors.size() > 64) {
            throw new IllegalArgumentException("at most 64 dissectors");
        }
        this.dissectors = dissectors;
        this.maxPackets = maxPackets;
    }

    /**
     * Inspects one packet.
     *
     * @return event bits: {@link #DETECTED} the first time the protocol is known, {@link #UPDATED}
     *     when later packets add metadata, {@link #COMPLETE} when inspection ends
     */
    public int inspect(DpiState s, FlowMetadata m, DpiPacket p) {
        if (s.complete) {
            return 0;
        }
        s.packets++;
        boolean knownBefore = s.detectedBy >= 0;
        boolean fresh = feedStreams(s, p);
        int events = 0;
        context.bind(p, s, m);
        if (p.length > 0 || fresh) {
            if (s.detectedBy >= 0) {
                events |= run(s, s.detectedBy);
            } else {
                for (int i = 0; i < dissectors.size(); i++) {
                    if (s.isExcluded(i) || !dissectors.get(i).applies(p)) {
                        continue;
                    }
                    events |= run(s, i);
                    if (s.detectedBy >= 0) {
                        break;
                    }
                }
            }
        }
        if (knownBefore && context.wasUpdated()) {
            events |= UPDATED;
        }
        if (!s.complete && (s.packets >= maxPackets || noCandidateLeft(s, p))) {
            events |= finish(s, m, p.ipProtocol, p.serverPort, p.clientPort);
        }
        if ((events & COMPLETE) != 0) {
            m.detectionUpdated = (events & UPDATED) != 0 || m.detectionUpdated;
        }
        return events;
    }

    private int run(DpiState s, int i) {
        Verdict v;
        try {
            v = dissectors.get(i).inspect(context);
        } catch (RuntimeException e) {
            // A dissector bug must not take the flow down: treat it as malformed input.
            v = Verdict.VIOLATION;
        }
        switch (v) {
            case DETECTED:
                if (s.detectedBy < 0) {
                    s.detectedBy = i;
                    return DETECTED;
                }
                return 0;
            case DONE:
                {
                    int e = s.detectedBy < 0 ? DETECTED : 0;
                    s.detectedBy = i;
                    s.complete = true;
                    releaseStreams(s);
                    return e | COMPLETE;
                }
            case EXCLUDED:
                s.exclude(i);
                return 0;
            case VIOLATION:
                s.violations++;
                s.exclude(i);
                if (s.detectedBy == i) {
                    // The detected protocol turned malformed: keep what was learnt, stop.
                    s.complete = true;
                    releaseStreams(s);
                    return COMPLETE;
                }
                return 0;
            case NEED_MORE:
            default:
                return 0;
        }
    }

    /**
     * Ends inspection: the packet budget is spent, no dissector is left, or the flow ends. A flow
     * no dissector claimed gets its protocol from the IP protocol or, as a guess, its ports.
     */
    public int finish(DpiState s, FlowMetadata m, int ipProtocol, int serverPort, int clientPort) {
        if (s.complete) {
            return 0;
        }
        s.complete = true;
        releaseStreams(s);
        int events = COMPLETE;
        if (s.detectedBy < 0 && m.protocol == Protocols.UNKNOWN) {
            int byIp = PortGuess.byIpProtocol(ipProtocol);
            if (byIp != Protocols.UNKNOWN) {
                m.protocol = byIp;
            } else {
                int guess = PortGuess.byPorts(ipProtocol, serverPort, clientPort);
                if (guess != Protocols.UNKNOWN) {
                    m.protocol = guess;
                    m.detectionGuessed = true;
                }
            }
            events |= DETECTED;
        }
        return events;
    }

    private boolean noCandidateLeft(DpiState s, DpiPacket p) {
        if (s.detectedBy >= 0) {
            return false;
        }
        for (int i = 0; i < dissectors.size(); i++) {
            if (!s.isExcluded(i) && dissectors.get(i).applies(p)) {
                return false;
            }
        }
        return true;
    }

    /** Adds TCP payload to the direction's stream; returns true when a stream grew. */
    static boolean feedStreams(DpiState s, DpiPacket p) {
        if (!p.isTcp()) {
            return false;
        }
        StreamBuffer b = p.fromClient ? s.clientStream : s.serverStream;
        if (b == null) {
            b = new StreamBuffer();
            if (p.fromClient) {
                s.clientStream = b;
            } else {
                s.serverStream = b;
            }
        }
        if ((p.tcpFlags & TCP_SYN) != 0) {
            b.startAfterSyn(p.tcpSeq);
            return false;
        }
        return b.add(p.tcpSeq, p.payload, p.offset, p.length);
    }

    private static void releaseStreams(DpiState s) {
        s.clientStream = null;
        s.serverStream = null;
    }
}
