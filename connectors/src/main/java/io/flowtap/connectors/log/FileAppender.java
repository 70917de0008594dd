package io.flowtap.connectors.log;

import com.sun.nio.file.ExtendedOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A buffered output stream appending to a file, optionally with direct I/O. Not thread-safe.
 *
 * <p>Bytes are copied once, into a direct buffer the channel writes from (a {@code
 * BufferedOutputStream} over {@code Files.newOutputStream} copies them twice before the kernel's
 * copy). With direct I/O ({@code O_DIRECT}) whole blocks go from that buffer to the device without
 * passing through the page cache: a file written once and read later (a backfill's telemetry) then
 * costs the kernel neither the copy nor the new page-cache pages, which on virtual machines cost
 * more than the copy. Direct I/O needs the buffer, the file offset and the length aligned to the
 * file system's block, so the unaligned ends go through the page cache: the bytes before the first
 * block boundary, and at a flush the last partial block, which stays buffered and is written again
 * whole by the next direct write. Where the file system refuses direct I/O (tmpfs, some network
 * file systems) every write goes through the page cache.
 *
 * <p>Writes are positional, at the file's end as this stream knows it; when the file is found
 * shorter (logrotate's copytruncate emptied it), writing goes on at its new end instead of leaving
 * a hole of zero bytes.
 */
final class FileAppender extends OutputStream {
    private static final Logger LOG = LoggerFactory.getLogger(FileAppender.class);

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer;

    /** The same file opened for direct I/O, or null. */
    private FileChannel direct;

    /** The alignment direct I/O needs; 1 without it. */
    private final int block;

    /** Whether a direct write has succeeded: until then a refusal falls back to the page cache. */
    private boolean directWorks;

    /** The file offset of the buffer's first byte. */
    private long position;

    /**
     * How many of the buffer's first bytes the file has already: a partial block written through
     * the page cache at a flush, kept to be written again whole with direct I/O.
     */
    private int flushed;

    private FileAppender(Path file, FileChannel channel, FileChannel direct, int block, int size)
            throws IOException {
        this.file = file;
        this.channel = channel;
        this.direct = direct;
        this.block = block;
        this.buffer =
                direct == null
                        ? ByteBuffer.allocateDirect(size)
                        : ByteBuffer.allocateDirect(size + block).alignedSlice(block);
        this.position = channel.size();
    }

    /**
     * Opens {@code file} for appending (creating it), with a buffer of about {@code bufferSize}
     * bytes, with direct I/O when {@code directIo} and the file system allows it.
     */
    static FileAppender open(Path file, int bufferSize, boolean directIo) throws IOException {
        return open(file, bufferSize, directIo ? directBlock(file, bufferSize) : 0);
    }

    /**
     * Opens {@code file} with direct I/O aligned to {@code block} bytes, or through the page cache
     * alone when {@code block} is 0.
     */
    static FileAppender open(Path file, int bufferSize, int block) throws IOException {
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileChannel direct = block > 0 ? openDirect(file) : null;
            if (direct == null) {
                return new FileAppender(file, channel, null, 1, bufferSize);
            }
            int size = Math.max(block, bufferSize / block * block);
            return new FileAppender(file, channel, direct, block, size);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The block direct writes align to, or 0 when it is unknown, not a power of two, below a sector
     * or larger than the buffer.
     */
    private static int directBlock(Path file, int bufferSize) {
        try {
            // The directory's: the file may not exist yet.
            long block = Files.getFileStore(file.toAbsolutePath().getParent()).getBlockSize();
            boolean usable = block >= 512 && block <= bufferSize && Long.bitCount(block) == 1;
            return usable ? (int) block : 0;
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    private static FileChannel openDirect(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            logPageCacheOnly(file, e);
            return null;
        }
    }

    /** Whether whole blocks are written with direct I/O (until the file system refuses it). */
    boolean direct() {
        return direct != null;
    }

    @Override
    public void write(int b) throws IOException {
        if (!buffer.hasRemaining()) {
            drain(false);
        }
        buffer.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (!buffer.hasRemaining()) {
                drain(false);
            }
            int n = Math.min(len, buffer.remaining());
            buffer.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Writes the buffered bytes to the file (to the operating system, not to the disk). */
    @Override
    public void flush() throws IOException {
        drain(true);
    }

    /**
     * Writes the buffer's bytes: with direct I/O its whole blocks, and the rest only when {@code
     * all}, through the page cache, keeping them buffered to be written again with the next block.
     */
    private void drain(boolean all) throws IOException {
        buffer.flip();
        long size = channel.size();
        if (size < position + flushed) {
            // Emptied meanwhile (logrotate's copytruncate): go on at its new end, without the
            // bytes the file had already.
            buffer.position(flushed);
            buffer.compact().flip();
            position = size;
        }
        flushed = 0;
        if (direct != null && position % block != 0 && buffer.hasRemaining()) {
            // Up to the next block boundary through the page cache, then the blocks from the
            // buffer's (aligned) start.
            int head = (int) Math.min(buffer.remaining(), block - position % block);
            writeBuffered(head);
            buffer.compact().flip();
        }
        if (direct != null) {
            int whole = buffer.remaining() / block * block;
            if (whole > 0) {
                writeDirect(whole);
            }
        }
        // Also when the first direct write was refused just now: then the whole buffer goes here.
        if (direct == null) {
            writeBuffered(buffer.remaining());
        } else if (all && buffer.hasRemaining()) {
            writeThroughCache(buffer.slice(), position);
            flushed = buffer.remaining();
        }
        buffer.compact();
    }

    /** Writes the buffer's next {@code n} bytes through the page cache. */
    private void writeBuffered(int n) throws IOException {
        writeThroughCache(buffer.slice(buffer.position(), n), position);
        position += n;
        buffer.position(buffer.position() + n);
    }

    /** Writes all of {@code part} at file offset {@code at} through the page cache. */
    private void writeThroughCache(ByteBuffer part, long at) throws IOException {
        while (part.hasRemaining()) {
            channel.write(part, at + part.position());
        }
    }

    /** Writes the buffer's next {@code n} bytes, whole blocks from its start, with direct I/O. */
    private void writeDirect(int n) throws IOException {
        ByteBuffer part = buffer.slice(buffer.position(), n);
        try {
            while (part.hasRemaining()) {
                position += direct.write(part, position);
            }
            directWorks = true;
        } catch (IOException e) {
            if (directWorks || part.position() > 0) {
                throw e;
            }
            // Refused at the first write: the file system takes direct I/O only in its open.
            logPageCacheOnly(file, e);
            closeDirect();
            return;
        }
        buffer.position(buffer.position() + n);
    }

    private static void logPageCacheOnly(Path file, Exception why) {
        LOG.info("{}: no direct I/O ({}), writing through the page cache", file, why.toString());
    }

    private void closeDirect() throws IOException {
        FileChannel d = direct;
        direct = null;
        d.close();
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            drain(true);
        } finally {
            try {
                if (direct != null) {
                    closeDirect();
                }
            } finally {
                channel.close();
            }
        }
    }
}
