package io.flowtap.connectors.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON to MessagePack, for records whose channel asks for {@code msgpack}: objects become maps,
 * arrays arrays, strings str, integers the smallest int or uint family that holds them, other
 * numbers float 64, as the MessagePack specification lays out.
 */
public final class MsgPack {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MsgPack() {}

    /** The MessagePack encoding of one JSON document. */
    public static byte[] fromJson(byte[] json) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
        write(MAPPER.readTree(json), out);
        return out.toByteArray();
    }

    static void write(JsonNode n, ByteArrayOutputStream out) {
        if (n.isObject()) {
            header(n.size(), 0x80, 0xde, 0xdf, out);
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                string(e.getKey(), out);
                write(e.getValue(), out);
            }
        } else if (n.isArray()) {
            header(n.size(), 0x90, 0xdc, 0xdd, out);
            for (JsonNode item : n) {
                write(item, out);
            }
        } else if (n.isTextual()) {
            string(n.textValue(), out);
        } else if (n.isBoolean()) {
            out.write(n.booleanValue() ? 0xc3 : 0xc2);
        } else if (n.isNull()) {
            out.write(0xc0);
        } else if (n.isIntegralNumber() && n.canConvertToLong()) {
            integer(n.longValue(), out);
        } else {
            out.write(0xcb);
            bigEndian(Double.doubleToLongBits(n.doubleValue()), 8, out);
        }
    }

    /** A map or array header: fix form below 16 entries, then 16- and 32-bit counts. */
    private static void header(int n, int fix, int b16, int b32, ByteArrayOutputStream out) {
        if (n < 16) {
            out.write(fix | n);
        } else if (n < 0x10000) {
            out.write(b16);
            bigEndian(n, 2, out);
        } else {
            out.write(b32);
            bigEndian(n, 4, out);
        }
    }

    private static void string(String s, ByteArrayOutputStream out) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length < 32) {
            out.write(0xa0 | b.length);
        } else if (b.length < 0x100) {
            out.write(0xd9);
            out.write(b.length);
        } else if (b.length < 0x10000) {
            out.write(0xda);
            bigEndian(b.length, 2, out);
        } else {
            out.write(0xdb);
            bigEndian(b.length, 4, out);
        }
        out.write(b, 0, b.length);
    }

    private static void integer(long v, ByteArrayOutputStream out) {
        if (v >= 0) {
            if (v < 0x80) {
                out.write((int) v);
            } else if (v < 0x100) {
                out.write(0xcc);
                out.write((int) v);
            } else if (v < 0x10000) {
                out.write(0xcd);
                bigEndian(v, 2, out);
            } else if (v < 0x100000000L) {
                out.write(0xce);
                bigEndian(v, 4, out);
            } else {
                out.write(0xcf);
                bigEndian(v, 8, out);
            }
        } else if (v >= -32) {
            out.write((int) (v & 0xff));
        } else if (v >= Byte.MIN_VALUE) {
            out.write(0xd0);
            out.write((int) (v & 0xff));
        } else if (v >= Short.MIN_VALUE) {
            out.write(0xd1);
            bigEndian(v, 2, out);
        } else if (v >= Integer.MIN_VALUE) {
            out.write(0xd2);
            bigEndian(v, 4, out);
        } else {
            out.write(0xd3);
            bigEndian(v, 8, out);
        }
    }

    private static void bigEndian(long v, int bytes, ByteArrayOutputStream out) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }
}
