package io.flowtap.capture.file;

import java.io.IOException;

/**
 * Classic libpcap files: either byte order, microsecond (0xa1b2c3d4) or nanosecond (0xa1b23c4d)
 * timestamps.
 */
final class PcapReader implements CaptureReader {
    private static final long MAGIC_MICROS = 0xa1b2c3d4L;
    private static final long MAGIC_NANOS = 0xa1b23c4dL;
    private static final long MAGIC_MICROS_SWAPPED = 0xd4c3b2a1L;
    private static final long MAGIC_NANOS_SWAPPED = 0x4d3cb2a1L;
    private static final int FILE_HEADER_LENGTH = 24;
    private static final int RECORD_HEADER_LENGTH = 16;
    private static final long MAX_SNAP_LENGTH = 16 << 20;

    private final ByteSource src;
    private final String fileName;
    private final String interfaceName;
    private final boolean bigEndian;
    private final boolean nanos;
    private final int linkType;
    private final long maxRecordLength;

    static boolean isMagic(long magicBigEndian) {
        return magicBigEndian == MAGIC_MICROS
                || magicBigEndian == MAGIC_NANOS
                || magicBigEndian == MAGIC_MICROS_SWAPPED
                || magicBigEndian == MAGIC_NANOS_SWAPPED;
    }

    PcapReader(ByteSource src, String fileName, String interfaceName) throws IOException {
        this.src = src;
        this.fileName = fileName;
        this.interfaceName = interfaceName;
        if (!src.ensure(FILE_HEADER_LENGTH)) {
            throw new CaptureFormatException(fileName, 0, "truncated pcap file header");
        }
        byte[] b = src.buffer();
        int p = src.bufferPosition();
        long magic = ByteSource.u32(b, p, true);
        bigEndian = magic == MAGIC_MICROS || magic == MAGIC_NANOS;
        nanos = magic == MAGIC_NANOS || magic == MAGIC_NANOS_SWAPPED;
        int major = ByteSource.u16(b, p + 4, bigEndian);
        if (major != 2) {
            throw new CaptureFormatException(
                    fileName, 4, "unsupported pcap version " + major + " (expected 2)");
        }
        long snaplen = ByteSource.u32(b, p + 16, bigEndian);
        // The upper bits of the link type field carry FCS information; the type is the low 16.
        linkType = (int) (ByteSource.u32(b, p + 20, bigEndian) & 0xffff);
        // Some writers record frames longer than the standard bound with a matching snap length;
        // a snap length beyond any real frame is corruption, and must not size a buffer.
        maxRecordLength = Math.max(MAX_FRAME_LENGTH, Math.min(snaplen, MAX_SNAP_LENGTH));
        src.skip(FILE_HEADER_LENGTH);
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        long recordOffset = src.position();
        if (!src.ensure(RECORD_HEADER_LENGTH)) {
            if (src.available() == 0) {
                return false;
            }
            throw new CaptureFormatException(
                    fileName, recordOffset, "truncated record header (file cut short)");
        }
        byte[] b = src.buffer();
        int p = src.bufferPosition();
        long seconds = ByteSource.u32(b, p, bigEndian);
        long fraction = ByteSource.u32(b, p + 4, bigEndian);
        long capLen = ByteSource.u32(b, p + 8, bigEndian);
        long origLen = ByteSource.u32(b, p + 12, bigEndian);
        if (capLen > maxRecordLength) {
            throw new CaptureFormatException(
                    fileName,
                    recordOffset,
                    "corrupt record header (captured length " + capLen + " exceeds the limit)");
        }
        if (fraction >= (nanos ? 1_000_000_000L : 1_000_000L)) {
            throw new CaptureFormatException(
                    fileName,
                    recordOffset,
                    "corrupt record header (sub-second timestamp " + fraction + " out of range)");
        }
        src.skip(RECORD_HEADER_LENGTH);
        if (!src.ensure((int) capLen)) {
            throw new CaptureFormatException(
                    fileName, recordOffset, "truncated record data (file cut short)");
        }
        frame.timestampNanos = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000L);
        frame.capturedLength = (int) capLen;
        frame.originalLength = (int) Math.max(origLen, capLen);
        frame.linkType = linkType;
        frame.interfaceIndex = 0;
        frame.interfaceName = interfaceName;
        frame.data = src.buffer();
        frame.offset = src.bufferPosition();
        frame.fileOffset = recordOffset;
        src.skip((int) capLen);
        return true;
    }

    @Override
    public long position() {
        return src.position();
    }

    @Override
    public String fileName() {
        return fileName;
    }

    @Override
    public void close() throws IOException {
        src.close();
    }
}
