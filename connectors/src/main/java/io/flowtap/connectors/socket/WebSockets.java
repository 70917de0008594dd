package io.flowtap.connectors.socket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The server side of RFC 6455 that a telemetry feed needs: the opening handshake, unmasked frames
 * out, and reading the client's frames for ping and close. No extensions, no subprotocols.
 */
final class WebSockets {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** RFC 6455 section 1.3: appended to the client's key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final int MAX_REQUEST = 16 * 1024;
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private WebSockets() {}

    /**
     * Reads the client's opening request and answers it: 101 when it asks for a WebSocket on {@code
     * path}, 404 or 400 (and false) otherwise.
     */
    static boolean handshake(InputStream in, OutputStream out, String path) throws IOException {
        String request = readHead(in);
        String[] lines = request.split("\r\n", -1);
        String[] start = lines[0].split(" ", -1);
        String key = null;
        boolean upgrade = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("sec-websocket-key")) {
                key = value;
            } else if (name.equals("upgrade")) {
                upgrade = value.equalsIgnoreCase("websocket");
            }
        }
        if (start.length != 3 || !start[0].equals("GET") || !upgrade || key == null) {
            answer(out, "400 Bad Request", "");
            return false;
        }
        String target = start[1];
        int query = target.indexOf('?');
        if (!(query < 0 ? target : target.substring(0, query)).equals(path)) {
            answer(out, "404 Not Found", "");
            return false;
        }
        answer(
                out,
                "101 Switching Protocols",
                "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                        + accept(key)
                        + "\r\n");
        return true;
    }

    /** The Sec-WebSocket-Accept value for a client's key. */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** One unfragmented, unmasked frame (servers never mask). */
    static byte[] frame(int opcode, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        ByteBuffer b = ByteBuffer.allocate(header + n);
        b.put((byte) (0x80 | opcode));
        if (n < 126) {
            b.put((byte) n);
        } else if (n <= 0xFFFF) {
            b.put((byte) 126).putShort((short) n);
        } else {
            b.put((byte) 127).putLong(n);
        }
        return b.put(payload).array();
    }

    /** A frame from the client: its opcode and unmasked payload. */
    record Frame(int opcode, byte[] payload) {}

    /**
     * Reads one client frame. Clients must mask their frames (RFC 6455 section 5.1); control frames
     * are small; data frames from a feed's clients are read and dropped in pieces.
     */
    static Frame read(InputStream in) throws IOException {
        int b0 = readByte(in);
        int b1 = readByte(in);
        if ((b1 & 0x80) == 0) {
            throw new IOException("unmasked frame from a client");
        }
        long n = b1 & 0x7F;
        if (n == 126) {
            n = (readByte(in) << 8) | readByte(in);
        } else if (n == 127) {
            n = 0;
            for (int i = 0; i < 8; i++) {
                n = (n << 8) | readByte(in);
            }
            if (n < 0) {
                throw new IOException("frame length out of range");
            }
        }
        byte[] mask = in.readNBytes(4);
        if (mask.length < 4) {
            throw new EOFException();
        }
        int opcode = b0 & 0x0F;
        if (opcode >= CLOSE && n > MAX_CONTROL_PAYLOAD) {
            throw new IOException("control frame longer than 125 bytes");
        }
        if (opcode < CLOSE) {
            in.skipNBytes(n);
            return new Frame(opcode, new byte[0]);
        }
        byte[] payload = in.readNBytes((int) n);
        if (payload.length < n) {
            throw new EOFException();
        }
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return new Frame(opcode, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = readByte(in);
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_REQUEST) {
                throw new IOException("WebSocket request head larger than 16 KiB");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void answer(OutputStream out, String status, String headers) throws IOException {
        out.write(
                ("HTTP/1.1 " + status + "\r\n" + headers + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
