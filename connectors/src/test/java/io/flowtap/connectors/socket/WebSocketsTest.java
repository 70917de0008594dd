package io.flowtap.connectors.socket;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The WebSocket handshake and framing, against the examples of RFC 6455. */
class WebSocketsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void acceptKeyOfTheRfcExample() {
        // RFC 6455 section 1.3.
        assertThat(WebSockets.accept("dGhlIHNhbXBsZSBub25jZQ=="))
                .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void framesOfTheRfcExamples() {
        // RFC 6455 section 5.7: an unmasked text frame "Hello".
        assertThat(HEX.formatHex(WebSockets.frame(WebSockets.TEXT, "Hello".getBytes())))
                .isEqualTo("810548656c6c6f");
        // 256 bytes of binary data: 16-bit length.
        assertThat(HEX.formatHex(WebSockets.frame(WebSockets.BINARY, new byte[256]), 0, 4))
                .isEqualTo("827e0100");
        // 64 KiB: 64-bit length.
        assertThat(HEX.formatHex(WebSockets.frame(WebSockets.BINARY, new byte[65536]), 0, 10))
                .isEqualTo("827f0000000000010000");
    }

    @Test
    void readsMaskedClientFrames() throws IOException {
        // RFC 6455 section 5.7: a masked ping "Hello" (the masked text example's key and bytes).
        byte[] ping = HEX.parseHex("8985" + "37fa213d" + "7f9f4d5158");
        WebSockets.Frame f = WebSockets.read(new ByteArrayInputStream(ping));
        assertThat(f.opcode()).isEqualTo(WebSockets.PING);
        assertThat(new String(f.payload(), StandardCharsets.US_ASCII)).isEqualTo("Hello");
        assertThatThrownBy(() -> WebSockets.read(new ByteArrayInputStream(HEX.parseHex("810548"))))
                .hasMessageContaining("unmasked");
    }

    @Test
    void handshakeOfTheRfcExample() throws IOException {
        String request =
                "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Origin: http://example.com\r\nSec-WebSocket-Version: 13\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(WebSockets.handshake(stream(request), out, "/chat")).isTrue();
        assertThat(out.toString(StandardCharsets.US_ASCII))
                .startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
        out.reset();
        assertThat(WebSockets.handshake(stream(request), out, "/")).isFalse();
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 404");
        out.reset();
        assertThat(WebSockets.handshake(stream("GET / HTTP/1.1\r\n\r\n"), out, "/")).isFalse();
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400");
    }

    /** Whatever a client sends, the server side ends with an answer or an IOException. */
    @FuzzTest(maxDuration = "1m")
    void clientBytes(byte[] data) {
        try {
            WebSockets.handshake(
                    new ByteArrayInputStream(data), new ByteArrayOutputStream(), "/flows");
        } catch (IOException expected) {
            // Malformed or cut short.
        }
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        try {
            for (int i = 0; i <= data.length; i++) {
                WebSockets.read(in);
            }
        } catch (IOException expected) {
            // Malformed or cut short.
        }
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
