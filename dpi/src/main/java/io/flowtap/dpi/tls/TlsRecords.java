package io.flowtap.dpi.tls;

import java.util.Arrays;

import static io.flowtap.dpi.Bytes.u16;
import static io.flowtap.dpi.Bytes.u24;
import static io.flowtap.dpi.Bytes.u8;

/**
 * TLS record layer (RFC 8446 5.1): gathers the handshake bytes at the start of one direction's
 * stream, across records, so that handshake messages split over records and TCP segments can be
 * parsed whole.
 */
final class TlsRecords {
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    private static final int MAX_RECORD = 16384 + 2048;
    private static final int WARNING = 1;

    /** The handshake prefix of a stream. */
    static final class Handshake {
        /** The stream does not start with TLS records. */
        boolean notTls;

        /** A record other than handshake followed (the handshake in clear text is over). */
        boolean ended;

        byte[] bytes = new byte[0];
        int length;

        /** Version field of the first record. */
        int recordVersion;
    }

    private TlsRecords() {}

    static Handshake handshake(byte[] data, int len) {
        Handshake h = new Handshake();
        int p = 0;
        boolean first = true;
        while (len - p >= 5) {
            int type = u8(data, p);
            int version = u16(data, p + 1);
            int recordLen = u16(data, p + 3);
            boolean plausible =
                    type >= CHANGE_CIPHER_SPEC
                            && type <= APPLICATION_DATA
                            && (version >> 8) == 3
                            && (version & 0xff) <= 4
                            && recordLen <= MAX_RECORD;
            if (!plausible) {
                h.notTls = first;
                h.ended = !first;
                return h;
            }
            if (type == ALERT && recordLen == 2) {
                // Alerts are clear text until keys change. A warning (say, unrecognized_name
                // before a ServerHello) leaves the handshake going; a fatal one ends it.
                if (len - p < 7) {
                    return h;
                }
                h.recordVersion = first ? version : h.recordVersion;
                first = false;
                if (u8(data, p + 5) != WARNING) {
                    h.ended = true;
                    return h;
                }
                p += 7;
                continue;
            }
            if (first) {
                h.recordVersion = version;
                if (type != HANDSHAKE) {
                    h.notTls = true;
                    return h;
                }
                first = false;
            }
            if (type != HANDSHAKE) {
                h.ended = true;
                return h;
            }
            if (len - p - 5 < recordLen) {
                // A partial record: its bytes so far are still usable.
                append(h, data, p + 5, len - p - 5);
                return h;
            }
            append(h, data, p + 5, recordLen);
            p += 5 + recordLen;
        }
        if (first && len - p > 0 && len - p < 5) {
            // Too short to judge the first record header: only its first byte can disqualify.
            int type = u8(data, p);
            h.notTls = type != HANDSHAKE;
        }
        return h;
    }

    private static void append(Handshake h, byte[] data, int off, int n) {
        if (h.bytes.length < h.length + n) {
            h.bytes = Arrays.copyOf(h.bytes, Math.max(h.length + n, h.bytes.length * 2));
        }
        System.arraycopy(data, off, h.bytes, h.length, n);
        h.length += n;
    }

    /** A visitor of complete handshake messages in order; return false to stop. */
    interface MessageVisitor {
        boolean message(int type, byte[] b, int off, int len);
    }

    /**
     * Walks the complete handshake messages.
     *
     * @return the number of bytes of complete messages (the rest is an incomplete message)
     */
    static int messages(Handshake h, MessageVisitor v) {
        int p = 0;
        while (h.length - p >= 4) {
            int type = u8(h.bytes, p);
            int len = u24(h.bytes, p + 1);
            if (h.length - p - 4 < len) {
                break;
            }
            if (!v.message(type, h.bytes, p + 4, len)) {
                return p + 4 + len;
            }
            p += 4 + len;
        }
        return p;
    }
}
