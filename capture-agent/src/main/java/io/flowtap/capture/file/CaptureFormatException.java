package io.flowtap.capture.file;

import java.io.IOException;

/**
 * A capture file that cannot be read any further: corrupt framing, a truncated record or an
 * unsupported format. Names the file and the byte offset where reading stopped; every record before
 * that offset was returned.
 */
public final class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;
    private final String reason;

    public CaptureFormatException(String file, long offset, String reason) {
        super(file + ": " + reason + " at byte offset " + offset);
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
