package io.flowtap.dpi.dissectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.flowtap.dpi.Bytes.u16;

/**
 * A DNS message (RFC 1035 4.1) as far as DPI needs it: header, the first question, and the answer
 * records' names, types and data locations. Names are decompressed with a bound on pointer jumps,
 * so hostile messages cannot loop.
 */
public final class DnsMessage {
    public static final int TYPE_A = 1;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_TXT = 16;
    public static final int TYPE_AAAA = 28;
    private static final int MAX_JUMPS = 32;
    private static final int MAX_NAME = 255;
    private static final int MAX_RECORDS = 64;

    public int id;
    public boolean response;
    public int opcode;
    public int rcode;
    public int questions;
    public int answers;
    public String questionName;
    public int questionType;

    /** One resource record of the answer section. */
    public static final class Record {
        public String name;
        public int type;
        public int dataOffset;
        public int dataLength;
    }

    public final List<Record> answerRecords = new ArrayList<>();

    /** Parses a message; null when it is not a plausible DNS message. */
    public static DnsMessage parse(byte[] b, int off, int len) {
        if (len < 12) {
            return null;
        }
        int end = off + len;
        DnsMessage m = new DnsMessage();
        m.id = u16(b, off);
        int flags = u16(b, off + 2);
        m.response = (flags & 0x8000) != 0;
        m.opcode = (flags >> 11) & 0xf;
        m.rcode = flags & 0xf;
        m.questions = u16(b, off + 4);
        m.answers = u16(b, off + 6);
        int authority = u16(b, off + 8);
        int additional = u16(b, off + 10);
        if (m.opcode > 6 || (flags & 0x0040) != 0) {
            return null; // unassigned opcode, or the reserved Z bit set
        }
        if (m.questions > 16 || m.answers > 512 || authority > 512 || additional > 512) {
            return null;
        }
        if (m.questions == 0 && m.answers == 0 && !m.response) {
            return null;
        }
        int p = off + 12;
        for (int i = 0; i < m.questions; i++) {
            String[] name = new String[1];
            p = name(b, off, end, p, name);
            if (p < 0 || end - p < 4) {
                return null;
            }
            if (i == 0) {
                m.questionName = name[0];
                m.questionType = u16(b, p);
            }
            p += 4;
        }
        for (int i = 0; i < m.answers && i < MAX_RECORDS; i++) {
            String[] name = new String[1];
            p = name(b, off, end, p, name);
            if (p < 0 || end - p < 10) {
                return m.questionName != null || i > 0 ? m : null;
            }
            Record r = new Record();
            r.name = name[0];
            r.type = u16(b, p);
            r.dataLength = u16(b, p + 8);
            r.dataOffset = p + 10;
            if (end - r.dataOffset < r.dataLength) {
                break;
            }
            m.answerRecords.add(r);
            p = r.dataOffset + r.dataLength;
        }
        return m;
    }

    /**
     * Reads a possibly compressed name starting at {@code p}.
     *
     * @return the offset after the name in the message (not after a pointer's target), or -1
     */
    public static int name(byte[] b, int msgStart, int end, int p, String[] out) {
        // A plain array: ByteArrayOutputStream's writes are synchronized, a lock per character.
        byte[] text = new byte[64];
        int n = 0;
        int next = -1;
        int jumps = 0;
        int q = p;
        while (true) {
            if (q >= end) {
                return -1;
            }
            int l = b[q] & 0xff;
            if (l == 0) {
                q++;
                break;
            }
            if ((l & 0xc0) == 0xc0) {
                if (end - q < 2 || ++jumps > MAX_JUMPS) {
                    return -1;
                }
                int target = msgStart + (((l & 0x3f) << 8) | (b[q + 1] & 0xff));
                if (next < 0) {
                    next = q + 2;
                }
                if (target >= end) {
                    return -1;
                }
                q = target;
                continue;
            }
            if ((l & 0xc0) != 0 || end - q - 1 < l) {
                return -1;
            }
            if (n + 1 + l > text.length) {
                text = java.util.Arrays.copyOf(text, Math.max(2 * text.length, n + 1 + l));
            }
            if (n > 0) {
                text[n++] = '.';
            }
            for (int i = 0; i < l; i++) {
                int c = b[q + 1 + i] & 0xff;
                // Labels are bytes (mDNS names are UTF-8); control characters never pass.
                text[n++] = (byte) (c < 0x20 || c == 0x7f ? '?' : c);
            }
            if (n > MAX_NAME) {
                return -1;
            }
            q += 1 + l;
        }
        out[0] =
                new String(text, 0, n, java.nio.charset.StandardCharsets.UTF_8)
                        .toLowerCase(Locale.ROOT);
        return next >= 0 ? next : q;
    }
}
