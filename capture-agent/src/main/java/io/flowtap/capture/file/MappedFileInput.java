package io.flowtap.capture.file;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file read through windows of memory mapped from it: each byte is copied once, from the page
 * cache into the reader's array. A stream copies it twice ({@code read(2)} into a native buffer,
 * then into the array), which on a multi-gigabyte capture costs more than decoding its headers.
 *
 * <p>A window is unmapped as soon as the next one is mapped, not when the collector finds its
 * buffer, so the mapped pages of a large capture do not pile up in the process's memory. The size
 * is read again when a window runs out, so a file that grows while it is read is read as far as a
 * stream would read it; and before each copy, so that one cut short ends where it now ends. (A file
 * cut short between that check and the copy is reported by the JVM as an {@code InternalError}.)
 */
final class MappedFileInput implements ByteSource.Input {
    static final int DEFAULT_WINDOW = 16 << 20;

    private static final Unmapper UNMAPPER = Unmapper.find();

    private final FileChannel channel;
    private final int windowSize;
    private MappedByteBuffer window;

    /** File offset of the window's first byte. */
    private long windowStart;

    private int windowPos;

    MappedFileInput(Path path) throws IOException {
        this(path, DEFAULT_WINDOW);
    }

    MappedFileInput(Path path, int windowSize) throws IOException {
        this.windowSize = windowSize;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (window == null || windowPos == window.limit()) {
            if (!nextWindow()) {
                return -1;
            }
        }
        int n = Math.min(len, window.limit() - windowPos);
        // Pages of a mapping beyond the file's end fault (SIGBUS), which the JVM reports as an
        // InternalError at some later point of the thread, not here. A file cut short under a
        // mapped window ends where it now ends instead, as a stream would see it.
        n = (int) Math.min(n, channel.size() - (windowStart + windowPos));
        if (n <= 0) {
            return -1;
        }
        window.get(windowPos, b, off, n);
        windowPos += n;
        return n;
    }

    private boolean nextWindow() throws IOException {
        long start = window == null ? 0 : windowStart + window.limit();
        long size = channel.size();
        if (start >= size) {
            return false;
        }
        MappedByteBuffer next =
                channel.map(
                        FileChannel.MapMode.READ_ONLY, start, Math.min(windowSize, size - start));
        unmapWindow();
        window = next;
        windowStart = start;
        windowPos = 0;
        return true;
    }

    private void unmapWindow() {
        if (window != null) {
            UNMAPPER.unmap(window);
            window = null;
        }
    }

    @Override
    public void close() throws IOException {
        unmapWindow();
        channel.close();
    }

    /**
     * Releases a mapping now. Java 17 has no public way to do that (the foreign memory API that has
     * one is final only from Java 22); {@code sun.misc.Unsafe.invokeCleaner}, in the {@code
     * jdk.unsupported} module that stays open for such uses, does it for a buffer nobody else
     * holds. Without it the mapping goes when the collector frees the buffer.
     */
    private interface Unmapper {
        void unmap(MappedByteBuffer buffer);

        static Unmapper find() {
            try {
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                Field field = unsafeClass.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                Object unsafe = field.get(null);
                Method invokeCleaner = unsafeClass.getMethod("invokeCleaner", ByteBuffer.class);
                return buffer -> {
                    try {
                        invokeCleaner.invoke(unsafe, buffer);
                    } catch (ReflectiveOperationException e) {
                        // Left to the collector.
                    }
                };
            } catch (ReflectiveOperationException | RuntimeException e) {
                return buffer -> {};
            }
        }
    }
}
