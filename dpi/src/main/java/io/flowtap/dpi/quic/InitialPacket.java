package io.flowtap.dpi.quic;

import io.flowtap.dpi.Bytes;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Opens a QUIC Initial packet (RFC 9000 17.2.2, RFC 9001 5.3 and 5.4): long header parsing, header
 * protection removal and AEAD decryption with the Initial keys.
 */
public final class InitialPacket {
    public QuicVersion version;
    public byte[] dcid;

    /** Decrypted frames. */
    public byte[] payload;

    /** Where this packet ends in the datagram (coalesced packets may follow). */
    public int end;

    private InitialPacket() {}

    /**
     * @return the opened packet, or null when it is not an Initial of a known version or does not
     *     decrypt (wrong keys, tampered, truncated)
     */
    public static InitialPacket open(byte[] b, int off, int len, boolean fromClient) {
        int end = off + len;
        if (len < 7 || (b[off] & 0x80) == 0) {
            return null;
        }
        int first = b[off] & 0xff;
        QuicVersion version = QuicVersion.of((int) Bytes.u32(b, off + 1));
        if (version == null || ((first >> 4) & 3) != version.initialType) {
            return null;
        }
        int p = off + 5;
        int dcidLen = b[p] & 0xff;
        if (dcidLen > 20 || end - p - 1 < dcidLen + 1) {
            return null;
        }
        byte[] dcid = Arrays.copyOfRange(b, p + 1, p + 1 + dcidLen);
        p += 1 + dcidLen;
        int scidLen = b[p] & 0xff;
        if (scidLen > 20 || end - p - 1 < scidLen) {
            return null;
        }
        p += 1 + scidLen;
        long[] v = new long[1];
        int n = Varint.read(b, p, end, v);
        if (n < 0 || v[0] > end - p - n) {
            return null;
        }
        p += n + (int) v[0]; // token
        n = Varint.read(b, p, end, v);
        if (n < 0) {
            return null;
        }
        p += n;
        int pnOffset = p;
        long length = v[0];
        if (length > end - pnOffset || length < 20) {
            return null;
        }
        int packetEnd = pnOffset + (int) length;
        InitialKeys keys = InitialKeys.derive(version, dcid, fromClient);
        try {
            byte[] mask =
                    aesEcb(keys.hp).doFinal(Arrays.copyOfRange(b, pnOffset + 4, pnOffset + 20));
            int unmaskedFirst = first ^ (mask[0] & 0x0f);
            int pnLen = (unmaskedFirst & 3) + 1;
            byte[] header = Arrays.copyOfRange(b, off, pnOffset + pnLen);
            header[0] = (byte) unmaskedFirst;
            long pn = 0;
            for (int i = 0; i < pnLen; i++) {
                int x = (b[pnOffset + i] ^ mask[1 + i]) & 0xff;
                header[pnOffset - off + i] = (byte) x;
                pn = (pn << 8) | x;
            }
            byte[] nonce = keys.iv.clone();
            for (int i = 0; i < 8; i++) {
                nonce[nonce.length - 1 - i] ^= (byte) (pn >>> (8 * i));
            }
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(keys.key, "AES"),
                    new GCMParameterSpec(128, nonce));
            gcm.updateAAD(header);
            int ctStart = pnOffset + pnLen;
            InitialPacket packet = new InitialPacket();
            packet.payload = gcm.doFinal(b, ctStart, packetEnd - ctStart);
            packet.version = version;
            packet.dcid = dcid;
            packet.end = packetEnd;
            return packet;
        } catch (GeneralSecurityException e) {
            return null; // authentication failed: not ours to read
        }
    }

    private static Cipher aesEcb(byte[] key) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        return c;
    }
}
