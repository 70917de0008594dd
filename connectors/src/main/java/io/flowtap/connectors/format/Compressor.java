package io.flowtap.connectors.format;

import java.util.Locale;

/** Compression of a telemetry payload or file (Netify's {@code compressor}). */
public enum Compressor {
    NONE,
    /** gzip (RFC 1952). */
    GZ;

    /** Netify's name: {@code none} or {@code gz}. */
    public static Compressor parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
