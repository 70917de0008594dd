package io.flowtap.connectors.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.util.Arrays;

/** Compresses Parquet pages: ZSTD through zstd-jni (one native context per file), or not at all. */
abstract class PageCompressor implements AutoCloseable {
    abstract CompressionCodecName codec();

    /** The compressed form of {@code data[0..length)}, in an array of its own. */
    abstract byte[] compress(byte[] data, int length);

    @Override
    public void close() {}

    static PageCompressor of(CompressionCodecName codec, int zstdLevel) {
        switch (codec) {
            case ZSTD:
                return new ZstdCompressor(zstdLevel);
            case UNCOMPRESSED:
                return new Uncompressed();
            default:
                throw new IllegalArgumentException(
                        "unsupported Parquet codec " + codec + " (use ZSTD or UNCOMPRESSED)");
        }
    }

    private static final class Uncompressed extends PageCompressor {
        @Override
        CompressionCodecName codec() {
            return CompressionCodecName.UNCOMPRESSED;
        }

        @Override
        byte[] compress(byte[] data, int length) {
            return Arrays.copyOf(data, length);
        }
    }

    private static final class ZstdCompressor extends PageCompressor {
        private final ZstdCompressCtx context = new ZstdCompressCtx();
        private byte[] buffer = new byte[0];

        ZstdCompressor(int level) {
            context.setLevel(level);
        }

        @Override
        CompressionCodecName codec() {
            return CompressionCodecName.ZSTD;
        }

        @Override
        byte[] compress(byte[] data, int length) {
            int bound = (int) Zstd.compressBound(length);
            if (buffer.length < bound) {
                buffer = new byte[bound];
            }
            int size = context.compressByteArray(buffer, 0, bound, data, 0, length);
            return Arrays.copyOf(buffer, size);
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
