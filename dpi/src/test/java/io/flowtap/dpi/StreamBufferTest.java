package io.flowtap.dpi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StreamBufferTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(StreamBuffer s) {
        return new String(s.data, 0, s.length, StandardCharsets.US_ASCII);
    }

    @Test
    void inOrderAfterSyn() {
        StreamBuffer s = new StreamBuffer();
        s.startAfterSyn(999);
        assertThat(s.add(1000, b("hello "), 0, 6)).isTrue();
        assertThat(s.add(1006, b("world"), 0, 5)).isTrue();
        assertThat(text(s)).isEqualTo("hello world");
    }

    @Test
    void outOfOrderSegmentsAreHeldUntilTheGapFills() {
        StreamBuffer s = new StreamBuffer();
        s.startAfterSyn(99);
        assertThat(s.add(106, b("world"), 0, 5)).isFalse();
        assertThat(text(s)).isEmpty();
        assertThat(s.add(100, b("hello "), 0, 6)).isTrue();
        assertThat(text(s)).isEqualTo("hello world");
    }

    @Test
    void retransmissionsAndOverlapsAreDeduplicated() {
        StreamBuffer s = new StreamBuffer();
        s.startAfterSyn(0);
        s.add(1, b("abcdef"), 0, 6);
        assertThat(s.add(1, b("abcdef"), 0, 6)).isFalse();
        assertThat(s.add(4, b("defghi"), 0, 6)).isTrue();
        assertThat(text(s)).isEqualTo("abcdefghi");
    }

    @Test
    void withoutSynAnEarlierSegmentArrivingLateIsPrepended() {
        StreamBuffer s = new StreamBuffer();
        s.add(1006, b("world"), 0, 5);
        s.add(1000, b("hello "), 0, 6);
        assertThat(text(s)).isEqualTo("hello world");
        // After a SYN nothing can precede the start.
        StreamBuffer t = new StreamBuffer();
        t.startAfterSyn(1005);
        t.add(1006, b("world"), 0, 5);
        assertThat(t.add(1000, b("hello "), 0, 6)).isFalse();
        assertThat(text(t)).isEqualTo("world");
    }

    @Test
    void sequenceNumbersWrapAround() {
        StreamBuffer s = new StreamBuffer();
        s.startAfterSyn(0xfffffffd);
        s.add(0xfffffffe, b("ab"), 0, 2);
        s.add(0x00000000, b("cd"), 0, 2);
        assertThat(text(s)).isEqualTo("abcd");
    }

    @Test
    void capacityBoundsTheBuffer() {
        StreamBuffer s = new StreamBuffer();
        s.startAfterSyn(0);
        byte[] chunk = new byte[1000];
        for (int i = 0; i < 100; i++) {
            s.add(1 + i * 1000, chunk, 0, 1000);
        }
        assertThat(s.length).isEqualTo(StreamBuffer.CAPACITY);
    }
}
