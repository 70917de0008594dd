package io.flowtap.connectors.parquet;

import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RLE/bit-packed hybrid encoding read back by parquet-java's decoder, and its bytes checked by
 * hand against the examples of Parquet's encoding specification.
 */
class HybridEncoderTest {
    @Test
    void bitWidths() {
        assertThat(HybridEncoder.bitWidth(0)).isZero();
        assertThat(HybridEncoder.bitWidth(1)).isEqualTo(1);
        assertThat(HybridEncoder.bitWidth(2)).isEqualTo(2);
        assertThat(HybridEncoder.bitWidth(255)).isEqualTo(8);
        assertThat(HybridEncoder.bitWidth(256)).isEqualTo(9);
        assertThat(HybridEncoder.bitWidth(Integer.MAX_VALUE)).isEqualTo(31);
    }

    @Test
    void specificationsBitPackingExample() {
        // Parquet's Encodings.md: 0..7 in 3 bits, one group: header (1 << 1 | 1), then
        // 10001000 11000110 11111010.
        ByteBuilder out = new ByteBuilder(16);
        HybridEncoder.encode(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 8, 3, out);
        assertThat(out.toByteArray())
                .containsExactly(0x03, 0b10001000, 0b11000110, (byte) 0b11111010);
    }

    @Test
    void aRunIsOneValue() {
        ByteBuilder out = new ByteBuilder(16);
        int[] ones = new int[300];
        java.util.Arrays.fill(ones, 1);
        HybridEncoder.encode(ones, 300, 1, out);
        // Header 300 << 1 = 600 as ULEB128 (0xD8 0x04), then the value in one byte.
        assertThat(out.toByteArray()).containsExactly((byte) 0xD8, 0x04, 0x01);
    }

    @Test
    void aPartialGroupIsPaddedWithZeros() {
        ByteBuilder out = new ByteBuilder(16);
        HybridEncoder.encode(new int[] {1, 1, 0}, 3, 1, out);
        assertThat(out.toByteArray()).containsExactly(0x03, 0b011);
    }

    @Test
    void randomValuesRoundTripAtEveryWidth() throws Exception {
        Random random = new Random(42);
        for (int width = 0; width <= 32; width++) {
            for (int trial = 0; trial < 40; trial++) {
                int n = random.nextInt(2000) + 1;
                int[] values = values(random, n, width);
                ByteBuilder out = new ByteBuilder(16);
                HybridEncoder.encode(values, n, width, out);
                RunLengthBitPackingHybridDecoder decoder =
                        new RunLengthBitPackingHybridDecoder(
                                width, new ByteArrayInputStream(out.toByteArray()));
                for (int i = 0; i < n; i++) {
                    assertThat(decoder.readInt())
                            .as("width %d, value %d of %d", width, i, n)
                            .isEqualTo(values[i]);
                }
            }
        }
    }

    /** Runs of random length of random values: short ones bit-packed, long ones as RLE runs. */
    private static int[] values(Random random, int n, int width) {
        long bound = 1L << width;
        int[] v = new int[n];
        int i = 0;
        while (i < n) {
            int value = width == 0 ? 0 : (int) (random.nextLong() & (bound - 1));
            int run = random.nextInt(4) == 0 ? random.nextInt(40) + 1 : 1;
            for (int k = 0; k < run && i < n; k++) {
                v[i++] = value;
            }
        }
        return v;
    }
}
