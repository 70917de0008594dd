package io.flowtap.dpi;

/** What a dissector concludes after looking at a packet. */
public enum Verdict {
    /** Cannot tell yet; show me more. */
    NEED_MORE,
    /** This is my protocol; I may still add metadata from later packets. */
    DETECTED,
    /** This is my protocol and I have nothing more to learn. */
    DONE,
    /** Not my protocol. */
    EXCLUDED,
    /** Looked like my protocol but the bytes break its rules: counted, and I stop. */
    VIOLATION
}
