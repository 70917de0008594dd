package io.flowtap.connectors.format;

import java.util.Locale;

/** How a telemetry record is serialized (Netify's {@code format}). */
public enum PayloadFormat {
    /** The record's JSON object; in files, one per line. */
    JSON("json"),
    /** The same object in MessagePack; in files, objects one after the other. */
    MSGPACK("msgpack");

    private final String extension;

    PayloadFormat(String extension) {
        this.extension = extension;
    }

    /** The file name extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** Netify's name: {@code json} or {@code msgpack}. */
    public static PayloadFormat parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
