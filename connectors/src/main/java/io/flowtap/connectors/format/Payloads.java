package io.flowtap.connectors.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/** A telemetry record's bytes in a channel's format, and gzip for whole payloads. */
public final class Payloads {
    private Payloads() {}

    /** The record's JSON as it is, or re-encoded in MessagePack. */
    public static byte[] encode(byte[] json, PayloadFormat format) throws IOException {
        return format == PayloadFormat.MSGPACK ? MsgPack.fromJson(json) : json;
    }

    /** One gzip member holding {@code bytes}. */
    public static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream(bytes.length / 2 + 32);
        try (GZIPOutputStream out = new GZIPOutputStream(z)) {
            out.write(bytes);
        }
        return z.toByteArray();
    }
}
