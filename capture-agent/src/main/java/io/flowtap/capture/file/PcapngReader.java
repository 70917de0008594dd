package io.flowtap.capture.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng files: several sections and interfaces, Enhanced, Simple and (obsolete) Packet Blocks,
 * {@code if_name}, {@code if_tsresol} and {@code if_tsoffset}. Other block types are skipped.
 */
final class PcapngReader implements CaptureReader {
    static final long BLOCK_SHB = 0x0A0D0D0AL;
    private static final long BLOCK_IDB = 1;
    private static final long BLOCK_PB = 2;
    private static final long BLOCK_SPB = 3;
    private static final long BLOCK_EPB = 6;
    private static final long BYTE_ORDER_MAGIC = 0x1A2B3C4DL;
    private static final int MIN_BLOCK_LENGTH = 12;
    private static final int MAX_BLOCK_LENGTH = 16 << 20;
    private static final int OPT_END = 0;
    private static final int OPT_IF_NAME = 2;
    private static final int OPT_IF_TSRESOL = 9;
    private static final int OPT_IF_TSOFFSET = 14;

    /** What an Interface Description Block says about its interface. */
    private static final class Interface {
        int linkType;
        long snapLength;
        String name;
        // Timestamp unit: 10^-decimalExponent seconds, or 2^-binaryExponent when binary.
        boolean binaryResolution;
        int exponent = 6;
        long offsetSeconds;
    }

    private final ByteSource src;
    private final String fileName;
    private final String defaultInterface;
    private final boolean ignoreRecordedNames;
    private final List<Interface> interfaces = new ArrayList<>();
    private boolean bigEndian;

    PcapngReader(
            ByteSource src, String fileName, String defaultInterface, boolean ignoreRecordedNames) {
        this.src = src;
        this.fileName = fileName;
        this.defaultInterface = defaultInterface;
        this.ignoreRecordedNames = ignoreRecordedNames;
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        while (true) {
            long blockOffset = src.position();
            if (!src.ensure(MIN_BLOCK_LENGTH)) {
                if (src.available() == 0) {
                    return false;
                }
                throw fail(blockOffset, "truncated block header (file cut short)");
            }
            byte[] b = src.buffer();
            int p = src.bufferPosition();
            long type = ByteSource.u32(b, p, bigEndian);
            if (ByteSource.u32(b, p, true) == BLOCK_SHB) {
                type = BLOCK_SHB;
                long bom = ByteSource.u32(b, p + 8, true);
                if (bom == BYTE_ORDER_MAGIC) {
                    bigEndian = true;
                } else if (ByteSource.u32(b, p + 8, false) == BYTE_ORDER_MAGIC) {
                    bigEndian = false;
                } else {
                    throw fail(blockOffset, "corrupt section header (bad byte-order magic)");
                }
            }
            long length = ByteSource.u32(b, p + 4, bigEndian);
            if (length < MIN_BLOCK_LENGTH || length > MAX_BLOCK_LENGTH || (length & 3) != 0) {
                throw fail(blockOffset, "corrupt block (length " + length + ")");
            }
            int len = (int) length;
            if (!src.ensure(len)) {
                throw fail(blockOffset, "truncated block (file cut short)");
            }
            b = src.buffer();
            p = src.bufferPosition();
            if (ByteSource.u32(b, p + len - 4, bigEndian) != length) {
                throw fail(blockOffset, "corrupt block (trailing length differs)");
            }
            int body = p + 8;
            int bodyEnd = p + len - 4;
            boolean produced = false;
            if (type == BLOCK_SHB) {
                interfaces.clear();
            } else if (type == BLOCK_IDB) {
                readInterface(b, body, bodyEnd, blockOffset);
            } else if (type == BLOCK_EPB) {
                produced = readEnhanced(b, body, bodyEnd, blockOffset, frame);
            } else if (type == BLOCK_SPB) {
                produced = readSimple(b, body, bodyEnd, blockOffset, frame);
            } else if (type == BLOCK_PB) {
                produced = readObsolete(b, body, bodyEnd, blockOffset, frame);
            }
            src.skip(len);
            if (produced) {
                return true;
            }
        }
    }

    private void readInterface(byte[] b, int body, int end, long blockOffset)
            throws CaptureFormatException {
        if (end - body < 8) {
            throw fail(blockOffset, "corrupt interface description block");
        }
        Interface itf = new Interface();
        itf.linkType = ByteSource.u16(b, body, bigEndian);
        itf.snapLength = ByteSource.u32(b, body + 4, bigEndian);
        int o = body + 8;
        while (end - o >= 4) {
            int code = ByteSource.u16(b, o, bigEndian);
            int optLen = ByteSource.u16(b, o + 2, bigEndian);
            o += 4;
            if (code == OPT_END) {
                break;
            }
            if (end - o < optLen) {
                throw fail(blockOffset, "corrupt interface option (length " + optLen + ")");
            }
            if (code == OPT_IF_NAME && optLen > 0) {
                int n = optLen;
                while (n > 0 && b[o + n - 1] == 0) {
                    n--;
                }
                itf.name = new String(b, o, n, StandardCharsets.UTF_8);
            } else if (code == OPT_IF_TSRESOL && optLen >= 1) {
                int v = b[o] & 0xff;
                itf.binaryResolution = (v & 0x80) != 0;
                itf.exponent = v & 0x7f;
                if (itf.binaryResolution ? itf.exponent > 63 : itf.exponent > 18) {
                    throw fail(blockOffset, "unsupported if_tsresol 0x" + Integer.toHexString(v));
                }
            } else if (code == OPT_IF_TSOFFSET && optLen >= 8) {
                long hi = ByteSource.u32(b, o, bigEndian);
                long lo = ByteSource.u32(b, o + 4, bigEndian);
                itf.offsetSeconds = bigEndian ? (hi << 32) | lo : (lo << 32) | hi;
            }
            o += (optLen + 3) & ~3;
        }
        if (itf.name == null || ignoreRecordedNames) {
            int index = interfaces.size();
            itf.name = index == 0 ? defaultInterface : defaultInterface + "." + index;
        }
        interfaces.add(itf);
    }

    private boolean readEnhanced(byte[] b, int body, int end, long blockOffset, Frame frame)
            throws CaptureFormatException {
        if (end - body < 20) {
            throw fail(blockOffset, "corrupt enhanced packet block");
        }
        long id = ByteSource.u32(b, body, bigEndian);
        Interface itf = interfaceFor(id, blockOffset);
        long ts =
                (ByteSource.u32(b, body + 4, bigEndian) << 32)
                        | ByteSource.u32(b, body + 8, bigEndian);
        long capLen = ByteSource.u32(b, body + 12, bigEndian);
        long origLen = ByteSource.u32(b, body + 16, bigEndian);
        if (capLen > end - body - 20) {
            throw fail(
                    blockOffset, "corrupt enhanced packet block (captured length " + capLen + ")");
        }
        fill(frame, itf, (int) id, ts, (int) capLen, origLen, b, body + 20, blockOffset);
        return true;
    }

    private boolean readSimple(byte[] b, int body, int end, long blockOffset, Frame frame)
            throws CaptureFormatException {
        if (end - body < 4) {
            throw fail(blockOffset, "corrupt simple packet block");
        }
        Interface itf = interfaceFor(0, blockOffset);
        long origLen = ByteSource.u32(b, body, bigEndian);
        long room = end - body - 4;
        long capLen = Math.min(origLen, room);
        if (itf.snapLength > 0) {
            capLen = Math.min(capLen, itf.snapLength);
        }
        // A simple packet block has no timestamp.
        fill(frame, itf, 0, -1, (int) capLen, origLen, b, body + 4, blockOffset);
        return true;
    }

    private boolean readObsolete(byte[] b, int body, int end, long blockOffset, Frame frame)
            throws CaptureFormatException {
        if (end - body < 20) {
            throw fail(blockOffset, "corrupt packet block");
        }
        int id = ByteSource.u16(b, body, bigEndian);
        Interface itf = interfaceFor(id, blockOffset);
        long ts =
                (ByteSource.u32(b, body + 4, bigEndian) << 32)
                        | ByteSource.u32(b, body + 8, bigEndian);
        long capLen = ByteSource.u32(b, body + 12, bigEndian);
        long origLen = ByteSource.u32(b, body + 16, bigEndian);
        if (capLen > end - body - 20) {
            throw fail(blockOffset, "corrupt packet block (captured length " + capLen + ")");
        }
        fill(frame, itf, id, ts, (int) capLen, origLen, b, body + 20, blockOffset);
        return true;
    }

    private Interface interfaceFor(long id, long blockOffset) throws CaptureFormatException {
        if (id >= interfaces.size()) {
            throw fail(blockOffset, "packet refers to undeclared interface " + id);
        }
        return interfaces.get((int) id);
    }

    private void fill(
            Frame frame,
            Interface itf,
            int id,
            long ts,
            int capLen,
            long origLen,
            byte[] b,
            int dataOffset,
            long blockOffset) {
        frame.timestampNanos = ts < 0 ? 0 : toNanos(itf, ts);
        frame.capturedLength = capLen;
        frame.originalLength = (int) Math.min(Integer.MAX_VALUE, Math.max(origLen, capLen));
        frame.linkType = itf.linkType;
        frame.interfaceIndex = id;
        frame.interfaceName = itf.name;
        frame.data = b;
        frame.offset = dataOffset;
        frame.fileOffset = blockOffset;
    }

    static long toNanos(boolean binary, int exponent, long offsetSeconds, long ts) {
        long nanos;
        if (binary) {
            // ts / 2^e seconds, split to avoid overflow: whole seconds plus the fraction.
            long whole = exponent == 0 ? ts : ts >>> exponent;
            long frac = exponent == 0 ? 0 : ts & ((1L << exponent) - 1);
            long fracNanos =
                    exponent <= 33
                            ? (frac * 1_000_000_000L) >>> exponent
                            : (long) (frac / Math.pow(2, exponent) * 1e9);
            nanos = whole * 1_000_000_000L + fracNanos;
        } else if (exponent <= 9) {
            nanos = ts * POW10[9 - exponent];
        } else {
            nanos = ts / POW10[exponent - 9];
        }
        return nanos + offsetSeconds * 1_000_000_000L;
    }

    private static long toNanos(Interface itf, long ts) {
        return toNanos(itf.binaryResolution, itf.exponent, itf.offsetSeconds, ts);
    }

    private static final long[] POW10 = {
        1L,
        10L,
        100L,
        1_000L,
        10_000L,
        100_000L,
        1_000_000L,
        10_000_000L,
        100_000_000L,
        1_000_000_000L
    };

    private CaptureFormatException fail(long offset, String reason) {
        return new CaptureFormatException(fileName, offset, reason);
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
