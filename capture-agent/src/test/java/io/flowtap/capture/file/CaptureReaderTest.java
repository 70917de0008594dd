package io.flowtap.capture.file;

import io.flowtap.capture.Hex;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.flowtap.capture.file.TestCaptures.cat;
import static io.flowtap.capture.file.TestCaptures.epb;
import static io.flowtap.capture.file.TestCaptures.idb;
import static io.flowtap.capture.file.TestCaptures.nrb;
import static io.flowtap.capture.file.TestCaptures.pcapHeader;
import static io.flowtap.capture.file.TestCaptures.pcapRecord;
import static io.flowtap.capture.file.TestCaptures.shb;
import static io.flowtap.capture.file.TestCaptures.spb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureReaderTest {
    private static final byte[] A = Hex.bytes("0102030405");
    private static final byte[] B = Hex.bytes("aabbccddeeff0011");

    enum Order {
        LITTLE(ByteOrder.LITTLE_ENDIAN),
        BIG(ByteOrder.BIG_ENDIAN);

        final ByteOrder order;

        Order(ByteOrder order) {
            this.order = order;
        }
    }

    private static CaptureReader open(byte[] file) throws IOException {
        return CaptureReader.open(new ByteArrayInputStream(file), "test.cap", "eth9");
    }

    private static List<byte[]> frames(CaptureReader r, List<Frame> copies) throws IOException {
        List<byte[]> data = new ArrayList<>();
        Frame f = new Frame();
        while (r.next(f)) {
            data.add(Arrays.copyOfRange(f.data, f.offset, f.offset + f.capturedLength));
            Frame c = f.copy();
            assertThat(c.data).isEqualTo(data.get(data.size() - 1)).isNotSameAs(f.data);
            copies.add(c);
        }
        return data;
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void pcapMicrosecondsInEitherByteOrder(Order o) throws IOException {
        byte[] file =
                cat(
                        pcapHeader(o.order, false, 1, 65535),
                        pcapRecord(o.order, 1_600_000_000L, 123_456, A, 60),
                        pcapRecord(o.order, 1_600_000_001L, 999_999, B, B.length));
        List<Frame> meta = new ArrayList<>();
        List<byte[]> data = frames(open(file), meta);

        assertThat(data).containsExactly(A, B);
        assertThat(meta.get(0).timestampNanos).isEqualTo(1_600_000_000_123_456_000L);
        assertThat(meta.get(0).originalLength).isEqualTo(60);
        assertThat(meta.get(0).capturedLength).isEqualTo(5);
        assertThat(meta.get(0).linkType).isEqualTo(1);
        assertThat(meta.get(0).interfaceName).isEqualTo("eth9");
        assertThat(meta.get(0).fileOffset).isEqualTo(24);
        assertThat(meta.get(1).fileOffset).isEqualTo(24 + 16 + 5);
        assertThat(meta.get(1).timestampNanos).isEqualTo(1_600_000_001_999_999_000L);
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void pcapNanoseconds(Order o) throws IOException {
        byte[] file =
                cat(
                        pcapHeader(o.order, true, 101, 65535),
                        pcapRecord(o.order, 1_700_000_000L, 123_456_789, A, 5));
        List<Frame> meta = new ArrayList<>();
        frames(open(file), meta);
        assertThat(meta.get(0).timestampNanos).isEqualTo(1_700_000_000_123_456_789L);
        assertThat(meta.get(0).linkType).isEqualTo(101);
    }

    @Test
    void pcapLinkTypeIgnoresFcsBits() throws IOException {
        // Upper bits of the link type field say "FCS present"; the type is the low 16 bits.
        byte[] file =
                cat(
                        pcapHeader(ByteOrder.LITTLE_ENDIAN, false, 0x1400_0001, 65535),
                        pcapRecord(ByteOrder.LITTLE_ENDIAN, 1, 0, A, 5));
        List<Frame> meta = new ArrayList<>();
        frames(open(file), meta);
        assertThat(meta.get(0).linkType).isEqualTo(1);
    }

    @Test
    void truncatedPcapRecordReportsItsOffsetAfterEarlierFrames() throws IOException {
        byte[] whole =
                cat(
                        pcapHeader(ByteOrder.LITTLE_ENDIAN, false, 1, 65535),
                        pcapRecord(ByteOrder.LITTLE_ENDIAN, 1, 0, A, 5),
                        pcapRecord(ByteOrder.LITTLE_ENDIAN, 2, 0, B, 8));
        byte[] cut = Arrays.copyOf(whole, whole.length - 3);
        CaptureReader r = open(cut);
        Frame f = new Frame();
        assertThat(r.next(f)).isTrue();
        assertThatThrownBy(() -> r.next(f))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage("test.cap: truncated record data (file cut short) at byte offset 45")
                .satisfies(e -> assertThat(((CaptureFormatException) e).offset()).isEqualTo(45));
    }

    @Test
    void truncatedPcapRecordHeader() throws IOException {
        byte[] whole =
                cat(
                        pcapHeader(ByteOrder.LITTLE_ENDIAN, false, 1, 65535),
                        pcapRecord(ByteOrder.LITTLE_ENDIAN, 1, 0, A, 5));
        byte[] cut = Arrays.copyOf(whole, whole.length + 7); // 7 zero bytes of a next header
        CaptureReader r = open(cut);
        Frame f = new Frame();
        assertThat(r.next(f)).isTrue();
        assertThatThrownBy(() -> r.next(f))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("truncated record header")
                .hasMessageContaining("offset 45");
    }

    @Test
    void implausibleCapturedLengthIsCorruption() throws IOException {
        byte[] file =
                cat(
                        pcapHeader(ByteOrder.LITTLE_ENDIAN, false, 1, 65535),
                        Hex.bytes(
                                // ts 1 s, 0 us, caplen 0x7fffffff, origlen 60
                                "01000000 00000000 ffffff7f 3c000000"));
        CaptureReader r = open(file);
        assertThatThrownBy(() -> r.next(new Frame()))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("corrupt record header")
                .hasMessageContaining("offset 24");
    }

    @Test
    void hugeSnapLengthDoesNotAllowHugeFrames() throws IOException {
        // Found by fuzzing: a 2.6 GB snap length once let a record size the read buffer.
        byte[] file =
                cat(
                        pcapHeader(ByteOrder.LITTLE_ENDIAN, false, 1, 0x9e012000),
                        Hex.bytes("01000000 00000000 00000080 3c000000"));
        CaptureReader r = open(file);
        assertThatThrownBy(() -> r.next(new Frame()))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("captured length 2147483648 exceeds the limit");
    }

    @Test
    void notACaptureFile() {
        assertThatThrownBy(() -> open("hello, world".getBytes()))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("not a pcap or pcapng file")
                .hasMessageContaining("test.cap");
        assertThatThrownBy(() -> open(new byte[2]))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("shorter than a file header");
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void pcapngWithSeveralInterfacesNamesAndResolutions(Order o) throws IOException {
        ByteOrder bo = o.order;
        byte[] file =
                cat(
                        shb(bo),
                        idb(bo, 1, "eth0", null), // microseconds by default
                        idb(bo, 113, null, 9), // nanoseconds, no name
                        nrb(bo),
                        epb(bo, 0, 1_600_000_000_000_001L, A, 60),
                        epb(bo, 1, 1_600_000_000_000_000_002L, B, 8),
                        spb(bo, A));
        List<Frame> meta = new ArrayList<>();
        List<byte[]> data = frames(open(file), meta);

        assertThat(data).containsExactly(A, B, A);
        assertThat(meta.get(0).interfaceName).isEqualTo("eth0");
        assertThat(meta.get(0).linkType).isEqualTo(1);
        assertThat(meta.get(0).timestampNanos).isEqualTo(1_600_000_000_000_001_000L);
        assertThat(meta.get(0).originalLength).isEqualTo(60);
        assertThat(meta.get(1).interfaceName).isEqualTo("eth9.1");
        assertThat(meta.get(1).interfaceIndex).isEqualTo(1);
        assertThat(meta.get(1).linkType).isEqualTo(113);
        assertThat(meta.get(1).timestampNanos).isEqualTo(1_600_000_000_000_000_002L);
        // A simple packet block belongs to interface 0 and has no timestamp.
        assertThat(meta.get(2).interfaceName).isEqualTo("eth0");
    }

    @Test
    void pcapngBinaryResolution() {
        // 2^-10 s units: 1024 units are one second; 1 unit is 976562.5 ns, truncated.
        assertThat(PcapngReader.toNanos(true, 10, 0, 1024)).isEqualTo(1_000_000_000L);
        assertThat(PcapngReader.toNanos(true, 10, 0, 1)).isEqualTo(976_562L);
        assertThat(PcapngReader.toNanos(false, 3, 5, 1500)).isEqualTo(6_500_000_000L);
    }

    @Test
    void pcapngNewSectionForgetsInterfaces() throws IOException {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        ByteOrder be = ByteOrder.BIG_ENDIAN;
        byte[] file =
                cat(
                        shb(le),
                        idb(le, 1, "a", null),
                        epb(le, 0, 1, A, 5),
                        shb(be),
                        idb(be, 101, "b", null),
                        epb(be, 0, 2, B, 8));
        List<Frame> meta = new ArrayList<>();
        frames(open(file), meta);
        assertThat(meta).extracting(f -> f.interfaceName).containsExactly("a", "b");
        assertThat(meta).extracting(f -> f.linkType).containsExactly(1, 101);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 11, 20})
    void truncatedPcapngBlockReportsItsOffset(int cutBytes) throws IOException {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        byte[] whole =
                cat(shb(le), idb(le, 1, "a", null), epb(le, 0, 1, A, 5), epb(le, 0, 2, B, 8));
        byte[] cut = Arrays.copyOf(whole, whole.length - cutBytes);
        CaptureReader r = open(cut);
        Frame f = new Frame();
        assertThat(r.next(f)).isTrue();
        // SHB 28; IDB 20 + if_name option (4 + 4 padded) + end option 4 = 32; EPB 32 + 8 = 40.
        long secondEpb = 28 + 32 + 40;
        assertThatThrownBy(() -> r.next(f))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("offset " + secondEpb);
    }

    @Test
    void pcapngPacketOfUndeclaredInterface() throws IOException {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        byte[] file = cat(shb(le), idb(le, 1, "a", null), epb(le, 3, 1, A, 5));
        CaptureReader r = open(file);
        assertThatThrownBy(() -> r.next(new Frame()))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("undeclared interface 3");
    }

    @Test
    void pcapngBadBlockLength() throws IOException {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        byte[] block = epb(le, 0, 1, A, 5);
        block[4] = 13; // not a multiple of 4
        byte[] file = cat(shb(le), idb(le, 1, "a", null), block);
        CaptureReader r = open(file);
        assertThatThrownBy(() -> r.next(new Frame()))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("corrupt block (length 13)");
    }

    @Test
    void largeFramesSpanningTheReadBuffer() throws IOException {
        // Frames larger than what one read returns must still come out whole.
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        List<byte[]> parts = new ArrayList<>();
        parts.add(pcapHeader(le, false, 1, 262144));
        for (int i = 0; i < 12; i++) {
            parts.add(pcapRecord(le, i, 0, big, big.length));
        }
        byte[] file = cat(parts.toArray(new byte[0][]));
        List<byte[]> data = frames(open(file), new ArrayList<>());
        assertThat(data).hasSize(12).allSatisfy(d -> assertThat(d).isEqualTo(big));
    }
}
