package io.flowtap.dpi.dissectors;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Names as RFC 1035 section 4.1.4 encodes them, built by hand. */
class DnsMessageTest {
    /** Labels, each with its length byte, then the root's zero. */
    private static byte[] labels(String... labels) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String l : labels) {
            byte[] bytes = l.getBytes(StandardCharsets.ISO_8859_1);
            b.write(bytes.length);
            b.writeBytes(bytes);
        }
        b.write(0);
        return b.toByteArray();
    }

    @Test
    void plainNameIsLowerCasedAndEndsAfterTheRoot() {
        byte[] m = labels("WWW", "Example", "com");
        String[] out = new String[1];
        assertThat(DnsMessage.name(m, 0, m.length, 0, out)).isEqualTo(17);
        assertThat(out[0]).isEqualTo("www.example.com");
    }

    @Test
    void pointerContinuesAtItsTargetAndTheNameEndsAfterThePointer() {
        // "example.com" at offset 0 (13 bytes), then "www" and a pointer to offset 0.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(labels("example", "com"));
        b.writeBytes(new byte[] {3, 'w', 'w', 'w', (byte) 0xc0, 0});
        byte[] m = b.toByteArray();
        String[] out = new String[1];
        assertThat(DnsMessage.name(m, 0, m.length, 13, out)).isEqualTo(19);
        assertThat(out[0]).isEqualTo("www.example.com");
    }

    @Test
    void namesLongerThanTheFirstBufferAndUpTo255Characters() {
        String label = "a".repeat(63);
        String last = "b".repeat(63);
        byte[] m = labels(label, label, label, last);
        String[] out = new String[1];
        assertThat(DnsMessage.name(m, 0, m.length, 0, out)).isEqualTo(m.length);
        assertThat(out[0]).hasSize(255).isEqualTo(String.join(".", label, label, label, last));
        // Longer is refused.
        byte[] tooLong = labels(label, label, label, last, "c");
        assertThat(DnsMessage.name(tooLong, 0, tooLong.length, 0, out)).isEqualTo(-1);
    }

    @Test
    void controlCharactersAreReplaced() {
        byte[] m = labels("a\u0001b", "c\u007f");
        String[] out = new String[1];
        assertThat(DnsMessage.name(m, 0, m.length, 0, out)).isEqualTo(m.length);
        assertThat(out[0]).isEqualTo("a?b.c?");
    }

    @Test
    void truncatedNamesAndPointerLoopsAreRefused() {
        byte[] m = labels("www", "example", "com");
        String[] out = new String[1];
        for (int end = 0; end < m.length; end++) {
            assertThat(DnsMessage.name(m, 0, end, 0, out)).as("end %d", end).isEqualTo(-1);
        }
        byte[] loop = {(byte) 0xc0, 0};
        assertThat(DnsMessage.name(loop, 0, loop.length, 0, out)).isEqualTo(-1);
    }
}
