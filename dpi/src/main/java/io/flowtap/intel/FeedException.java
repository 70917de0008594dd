package io.flowtap.intel;

/** A data feed entry that is none of the kinds a feed may hold, with where it was found. */
public final class FeedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String reason;

    public FeedException(String source, int line, String reason) {
        super(source + ":" + line + ": " + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    /** What is wrong with the line. */
    public String reason() {
        return reason;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }
}
