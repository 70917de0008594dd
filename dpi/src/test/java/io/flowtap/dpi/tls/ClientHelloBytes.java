package io.flowtap.dpi.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds TLS records by hand, field by field as RFC 8446 lays them out. */
public final class ClientHelloBytes {
    private final ByteArrayOutputStream ext = new ByteArrayOutputStream();
    private int[] ciphers = {0x1301};
    private int version = 0x0303;

    public ClientHelloBytes version(int v) {
        this.version = v;
        return this;
    }

    public ClientHelloBytes ciphers(int... c) {
        this.ciphers = c;
        return this;
    }

    public ClientHelloBytes extension(int type, byte[] body) {
        u16(ext, type);
        u16(ext, body.length);
        ext.writeBytes(body);
        return this;
    }

    public ClientHelloBytes sni(String host) {
        byte[] h = host.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        u16(b, h.length + 3);
        b.write(0);
        u16(b, h.length);
        b.writeBytes(h);
        return extension(0x0000, b.toByteArray());
    }

    public ClientHelloBytes alpn(String... protocols) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String p : protocols) {
            list.write(p.length());
            list.writeBytes(p.getBytes(StandardCharsets.US_ASCII));
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        u16(b, list.size());
        b.writeBytes(list.toByteArray());
        return extension(0x0010, b.toByteArray());
    }

    public ClientHelloBytes u16List(int type, boolean oneByteLength, int... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (oneByteLength) {
            b.write(values.length * 2);
        } else {
            u16(b, values.length * 2);
        }
        for (int v : values) {
            u16(b, v);
        }
        return extension(type, b.toByteArray());
    }

    /** The ClientHello body (no handshake header). */
    public byte[] body() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        u16(b, version);
        b.writeBytes(new byte[32]); // random
        b.write(0); // session id
        u16(b, ciphers.length * 2);
        for (int c : ciphers) {
            u16(b, c);
        }
        b.write(1);
        b.write(0); // compression: null
        u16(b, ext.size());
        b.writeBytes(ext.toByteArray());
        return b.toByteArray();
    }

    /** A handshake message in one TLS record. */
    public byte[] record() {
        return record(handshake(1, body()));
    }

    public static byte[] handshake(int type, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(type);
        b.write(body.length >> 16);
        b.write(body.length >> 8);
        b.write(body.length);
        b.writeBytes(body);
        return b.toByteArray();
    }

    public static byte[] record(byte[] handshake) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(22);
        u16(b, 0x0301);
        u16(b, handshake.length);
        b.writeBytes(handshake);
        return b.toByteArray();
    }

    static void u16(ByteArrayOutputStream b, int v) {
        b.write(v >> 8);
        b.write(v);
    }
}
