package io.flowtap.connectors.parquet;

import com.github.luben.zstd.Zstd;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * ZSTD (through zstd-jni) or no compression for parquet-java's own writer and reader in tests,
 * without the Hadoop codec classes that parquet-java's default factory loads.
 */
final class PureJavaCodecFactory implements CompressionCodecFactory {
    private final int zstdLevel;

    PureJavaCodecFactory(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        switch (codec) {
            case ZSTD:
                return new BytesInputCompressor() {
                    @Override
                    public BytesInput compress(BytesInput bytes) throws IOException {
                        return BytesInput.from(Zstd.compress(bytes.toByteArray(), zstdLevel));
                    }

                    @Override
                    public CompressionCodecName getCodecName() {
                        return CompressionCodecName.ZSTD;
                    }

                    @Override
                    public void release() {}
                };
            case UNCOMPRESSED:
                return new BytesInputCompressor() {
                    @Override
                    public BytesInput compress(BytesInput bytes) {
                        return bytes;
                    }

                    @Override
                    public CompressionCodecName getCodecName() {
                        return CompressionCodecName.UNCOMPRESSED;
                    }

                    @Override
                    public void release() {}
                };
            default:
                throw new IllegalArgumentException(
                        "unsupported Parquet codec " + codec + " (use ZSTD or UNCOMPRESSED)");
        }
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize)
                    throws IOException {
                if (codec == CompressionCodecName.UNCOMPRESSED) {
                    return bytes;
                }
                byte[] out = new byte[uncompressedSize];
                Zstd.decompress(out, bytes.toByteArray());
                return BytesInput.from(out);
            }

            @Override
            public void decompress(
                    ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(decompress(BytesInput.from(in), uncompressedSize).toByteArray());
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public void release() {}
}
