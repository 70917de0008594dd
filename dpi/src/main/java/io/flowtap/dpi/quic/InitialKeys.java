package io.flowtap.dpi.quic;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Initial packet protection keys (RFC 9001 5.2, RFC 9369 3.3.1): derived with HKDF-SHA256 from a
 * version-specific salt and the client's Destination Connection ID, so anyone on the path can
 * remove the protection.
 */
public final class InitialKeys {
    public final byte[] key;
    public final byte[] iv;
    public final byte[] hp;

    private InitialKeys(byte[] key, byte[] iv, byte[] hp) {
        this.key = key;
        this.iv = iv;
        this.hp = hp;
    }

    /**
     * @param client true for the keys protecting what the client sends
     */
    public static InitialKeys derive(QuicVersion version, byte[] dcid, boolean client) {
        byte[] initialSecret = extract(version.salt, dcid);
        byte[] secret = expandLabel(initialSecret, client ? "client in" : "server in", 32);
        return new InitialKeys(
                expandLabel(secret, version.labelPrefix + " key", 16),
                expandLabel(secret, version.labelPrefix + " iv", 12),
                expandLabel(secret, version.labelPrefix + " hp", 16));
    }

    static byte[] extract(byte[] salt, byte[] ikm) {
        return hmac(salt, ikm);
    }

    /** HKDF-Expand-Label of TLS 1.3 (RFC 8446 7.1) with an empty context. */
    static byte[] expandLabel(byte[] secret, String label, int length) {
        byte[] full = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[2 + 1 + full.length + 1];
        info[0] = (byte) (length >> 8);
        info[1] = (byte) length;
        info[2] = (byte) full.length;
        System.arraycopy(full, 0, info, 3, full.length);
        info[info.length - 1] = 0;
        // HKDF-Expand; at most 32 bytes are ever needed, so one block suffices.
        byte[] block = new byte[info.length + 1];
        System.arraycopy(info, 0, block, 0, info.length);
        block[info.length] = 1;
        byte[] t = hmac(secret, block);
        byte[] out = new byte[length];
        System.arraycopy(t, 0, out, 0, length);
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a required JDK algorithm", e);
        }
    }
}
