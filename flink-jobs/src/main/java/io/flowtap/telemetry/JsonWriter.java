package io.flowtap.telemetry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON writer into one reusable byte buffer, for the records written once per flow and tick.
 * Field names are encoded once ({@link Name}); strings are escaped as Jackson's UTF-8 generator
 * escapes them by default (the short forms {@code \" \\ \b \t \n \f \r}, other control characters
 * and lone or paired UTF-16 surrogates as {@code \}{@code uXXXX} in upper-case hex, everything else
 * as UTF-8), so records are byte for byte what a Jackson generator writes. Not thread-safe.
 */
final class JsonWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOWER_HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 16;

    /** Writes eight bytes at any offset of a byte array, in one store. */
    private static final VarHandle WORDS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * A field name with its quotes and colon, encoded once, without and with the comma before it.
     * Also as words of eight bytes (the last one padded), which a record writes in a store or three
     * instead of copying a short array: the padding lands past the end of the buffer's content,
     * where the next value overwrites it.
     */
    static final class Name {
        final byte[] bytes;
        final long[] words;
        final long[] commaWords;

        /** The buffer space writing it takes, padding included. */
        final int room;

        Name(String name) {
            JsonWriter w = new JsonWriter();
            w.string(name);
            w.put((byte) ':');
            this.bytes = w.toByteArray();
            byte[] comma = new byte[bytes.length + 1];
            comma[0] = ',';
            System.arraycopy(bytes, 0, comma, 1, bytes.length);
            this.words = words(bytes);
            this.commaWords = words(comma);
            this.room = commaWords.length * 8;
        }

        private static long[] words(byte[] b) {
            byte[] padded = Arrays.copyOf(b, (b.length + 7) / 8 * 8);
            long[] out = new long[padded.length / 8];
            for (int i = 0; i < out.length; i++) {
                out[i] = (long) WORDS.get(padded, i * 8);
            }
            return out;
        }
    }

    static Name name(String name) {
        return new Name(name);
    }

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private byte[] buf = new byte[1024];
    private int len;
    private int depth;

    /** Per open container: whether a value was written in it (the next one needs a comma). */
    private final boolean[] written = new boolean[MAX_DEPTH];

    /** A field name was just written: its value needs no comma. */
    private boolean afterName;

    /** Starts a new document, forgetting what was written. */
    JsonWriter reset() {
        len = 0;
        depth = 0;
        afterName = false;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    JsonWriter startObject() {
        beforeValue();
        open((byte) '{');
        return this;
    }

    JsonWriter endObject() {
        close((byte) '}');
        return this;
    }

    JsonWriter startArray() {
        beforeValue();
        open((byte) '[');
        return this;
    }

    JsonWriter endArray() {
        close((byte) ']');
        return this;
    }

    /** Writes a field name; its value follows. */
    JsonWriter field(Name name) {
        ensure(name.room);
        name(name);
        afterName = true;
        return this;
    }

    /** The name with a comma unless it is its object's first; room for its words ensured. */
    private void name(Name name) {
        long[] words;
        int length;
        if (follows()) {
            words = name.commaWords;
            length = name.bytes.length + 1;
        } else {
            words = name.words;
            length = name.bytes.length;
        }
        byte[] b = buf;
        int o = len;
        for (long w : words) {
            WORDS.set(b, o, w);
            o += 8;
        }
        len += length;
    }

    JsonWriter field(Name name, long value) {
        ensure(name.room + 20);
        name(name);
        afterName = false;
        digits(value);
        return this;
    }

    JsonWriter field(Name name, boolean value) {
        ensure(name.room + 5);
        name(name);
        afterName = false;
        bool(value);
        return this;
    }

    JsonWriter field(Name name, float value) {
        return field(name).value(value);
    }

    JsonWriter field(Name name, String value) {
        return field(name).value(value);
    }

    /**
     * An address as {@link Addresses#ip} writes it: IPv4 digit by digit into the buffer, IPv6
     * through its text (rarer, and longer to shorten).
     */
    JsonWriter ip(byte[] address) {
        if (address.length != 4) {
            return value(Addresses.ip(address));
        }
        beforeValue();
        ensure(17);
        byte[] b = buf;
        int o = len;
        b[o++] = '"';
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                b[o++] = '.';
            }
            int v = address[i] & 0xff;
            if (v >= 100) {
                b[o++] = (byte) ('0' + v / 100);
            }
            if (v >= 10) {
                b[o++] = (byte) ('0' + v / 10 % 10);
            }
            b[o++] = (byte) ('0' + v % 10);
        }
        b[o++] = '"';
        len = o;
        return this;
    }

    /** A MAC address as {@link Addresses#mac} writes it, without a string on the way. */
    JsonWriter mac(byte[] mac) {
        if (mac == null || mac.length != 6) {
            return value(Addresses.mac(mac));
        }
        beforeValue();
        ensure(19);
        byte[] b = buf;
        int o = len;
        b[o++] = '"';
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                b[o++] = ':';
            }
            b[o++] = LOWER_HEX[(mac[i] >> 4) & 0xf];
            b[o++] = LOWER_HEX[mac[i] & 0xf];
        }
        b[o++] = '"';
        len = o;
        return this;
    }

    JsonWriter value(long value) {
        beforeValue();
        ensure(20);
        digits(value);
        return this;
    }

    /** The number in decimal; room for 20 characters ensured. */
    private void digits(long value) {
        byte[] b = buf;
        if (value >= 0 && value < 10) {
            b[len++] = (byte) ('0' + value);
            return;
        }
        if (value == Long.MIN_VALUE) {
            byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, b, len, text.length);
            len += text.length;
            return;
        }
        if (value < 0) {
            b[len++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = len + digits;
        for (int i = end - 1; i >= len; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        len = end;
    }

    JsonWriter value(boolean value) {
        beforeValue();
        ensure(5);
        bool(value);
        return this;
    }

    /** {@code true} or {@code false}; room for 5 characters ensured. */
    private void bool(boolean value) {
        byte[] b = buf;
        int o = len;
        if (value) {
            b[o] = 't';
            b[o + 1] = 'r';
            b[o + 2] = 'u';
            b[o + 3] = 'e';
            len = o + 4;
        } else {
            b[o] = 'f';
            b[o + 1] = 'a';
            b[o + 2] = 'l';
            b[o + 3] = 's';
            b[o + 4] = 'e';
            len = o + 5;
        }
    }

    /** As Jackson writes a float: {@link Float#toString}, quoted when not finite. */
    JsonWriter value(float value) {
        if (Float.isFinite(value)) {
            beforeValue();
            int whole = (int) value;
            if (whole == value && whole < 10_000_000 && Float.floatToRawIntBits(value) >= 0) {
                // Float.toString's text of a whole number below 10^7 (exact in a float) is its
                // digits and ".0"; most rates are whole numbers of bytes per second, or zero.
                ensure(10);
                digits(whole);
                buf[len++] = '.';
                buf[len++] = '0';
                return this;
            }
            put(Float.toString(value).getBytes(StandardCharsets.US_ASCII));
            return this;
        }
        return value(Float.toString(value));
    }

    /** A string, or {@code null} for null. */
    JsonWriter value(String value) {
        beforeValue();
        if (value == null) {
            put(NULL);
        } else {
            string(value);
        }
        return this;
    }

    private void string(String s) {
        int n = s.length();
        ensure(n * 6 + 2);
        byte[] b = buf;
        int o = len;
        b[o++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[o++] = (byte) c;
                } else {
                    o = escapeAscii(b, o, c);
                }
            } else if (c < 0x800) {
                b[o++] = (byte) (0xc0 | (c >> 6));
                b[o++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                o = unicodeEscape(b, o, c);
            } else {
                b[o++] = (byte) (0xe0 | (c >> 12));
                b[o++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[o++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        b[o++] = '"';
        len = o;
    }

    private static int escapeAscii(byte[] b, int o, char c) {
        char shortForm =
                switch (c) {
                    case '"' -> '"';
                    case '\\' -> '\\';
                    case '\b' -> 'b';
                    case '\t' -> 't';
                    case '\n' -> 'n';
                    case '\f' -> 'f';
                    case '\r' -> 'r';
                    default -> 0;
                };
        if (shortForm == 0) {
            return unicodeEscape(b, o, c);
        }
        b[o++] = '\\';
        b[o++] = (byte) shortForm;
        return o;
    }

    private static int unicodeEscape(byte[] b, int o, char c) {
        b[o++] = '\\';
        b[o++] = 'u';
        b[o++] = HEX[(c >> 12) & 0xf];
        b[o++] = HEX[(c >> 8) & 0xf];
        b[o++] = HEX[(c >> 4) & 0xf];
        b[o++] = HEX[c & 0xf];
        return o;
    }

    private void open(byte bracket) {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("JSON nested deeper than " + MAX_DEPTH);
        }
        put(bracket);
        written[depth++] = false;
    }

    private void close(byte bracket) {
        depth--;
        put(bracket);
    }

    /**
     * Whether the next name or array element follows another in its container, and so needs a
     * comma; the container has one written from then on.
     */
    private boolean follows() {
        if (depth == 0) {
            return false;
        }
        boolean after = written[depth - 1];
        written[depth - 1] = true;
        return after;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (follows()) {
            put((byte) ',');
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
