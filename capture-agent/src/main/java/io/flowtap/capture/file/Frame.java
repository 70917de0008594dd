package io.flowtap.capture.file;

import java.util.Arrays;

/**
 * One captured frame as a capture file records it. A reader fills the same instance again for every
 * record, so callers must copy whatever they keep beyond the next read.
 */
public final class Frame {
    /** Capture time, nanoseconds since the Unix epoch. */
    public long timestampNanos;

    /** Bytes present in {@link #data}, from {@link #offset}. */
    public int capturedLength;

    /** Length of the frame on the wire; larger than the captured length when snapped. */
    public int originalLength;

    /** LINKTYPE_* value of the interface the frame was captured on. */
    public int linkType;

    /** Index of the capture interface within its file (0 for classic pcap). */
    public int interfaceIndex;

    /** Interface name recorded in the file, or the reader's default name. */
    public String interfaceName;

    /** Backing array; valid from {@link #offset} for {@link #capturedLength} bytes. */
    public byte[] data;

    public int offset;

    /** Byte offset of this record in its file. */
    public long fileOffset;

    /** A copy that keeps its own bytes (the captured ones only, from offset 0). */
    public Frame copy() {
        Frame c = new Frame();
        c.timestampNanos = timestampNanos;
        c.capturedLength = capturedLength;
        c.originalLength = originalLength;
        c.linkType = linkType;
        c.interfaceIndex = interfaceIndex;
        c.interfaceName = interfaceName;
        c.data = Arrays.copyOfRange(data, offset, offset + capturedLength);
        c.fileOffset = fileOffset;
        return c;
    }
}
