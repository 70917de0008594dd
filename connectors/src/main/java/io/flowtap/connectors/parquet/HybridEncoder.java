package io.flowtap.connectors.parquet;

/**
 * Parquet's RLE/bit-packed hybrid encoding of small unsigned integers (definition and repetition
 * levels, dictionary indices): a run of at least eight equal values becomes an RLE run (its length
 * and the value once), anything else groups of eight values packed in {@code bitWidth} bits each,
 * least significant bit first. The last group is padded with zeros; readers know the count.
 */
final class HybridEncoder {
    /** A value repeated this often is written as an RLE run. */
    private static final int MIN_RLE_RUN = 8;

    /**
     * Groups in one bit-packed run at most: its header then fits one byte, as most writers keep it.
     */
    private static final int MAX_GROUPS = 63;

    private HybridEncoder() {}

    /** The bits a value up to {@code max} needs (0 for 0). */
    static int bitWidth(int max) {
        return 32 - Integer.numberOfLeadingZeros(max);
    }

    /** Appends {@code values[0..count)}, each below {@code 2^bitWidth}, to {@code out}. */
    static void encode(int[] values, int count, int bitWidth, ByteBuilder out) {
        int pos = 0;
        int packedFrom = -1; // start of the groups not yet written as a bit-packed run
        while (pos < count) {
            int value = values[pos];
            int run = 1;
            while (pos + run < count && values[pos + run] == value) {
                run++;
            }
            if (run >= MIN_RLE_RUN) {
                if (packedFrom >= 0) {
                    bitPacked(values, packedFrom, pos, count, bitWidth, out);
                    packedFrom = -1;
                }
                rle(value, run, bitWidth, out);
                pos += run;
            } else {
                if (packedFrom < 0) {
                    packedFrom = pos;
                }
                pos += 8;
                if ((pos - packedFrom) / 8 == MAX_GROUPS) {
                    bitPacked(values, packedFrom, pos, count, bitWidth, out);
                    packedFrom = -1;
                }
            }
        }
        if (packedFrom >= 0) {
            bitPacked(values, packedFrom, pos, count, bitWidth, out);
        }
    }

    private static void rle(int value, int run, int bitWidth, ByteBuilder out) {
        out.writeUnsignedVarInt(run << 1);
        for (int b = 0; b < bitWidth; b += 8) {
            out.writeByte(value >>> b);
        }
    }

    /** Values {@code [from, to)} in groups of eight; those at or past {@code count} are zeros. */
    private static void bitPacked(
            int[] values, int from, int to, int count, int bitWidth, ByteBuilder out) {
        int groups = (to - from) / 8;
        out.writeUnsignedVarInt(groups << 1 | 1);
        long mask = bitWidth == 32 ? 0xFFFF_FFFFL : (1L << bitWidth) - 1;
        long acc = 0;
        int bits = 0;
        for (int i = from; i < to; i++) {
            long v = i < count ? values[i] & mask : 0;
            acc |= v << bits;
            bits += bitWidth;
            while (bits >= 8) {
                out.writeByte((int) acc);
                acc >>>= 8;
                bits -= 8;
            }
        }
    }
}
