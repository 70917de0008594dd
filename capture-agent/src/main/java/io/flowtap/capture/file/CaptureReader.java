package io.flowtap.capture.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the frames of a pcap or pcapng file, one record at a time, in file order. */
public interface CaptureReader extends Closeable {

    /** Frames larger than this are treated as corrupt framing (Wireshark uses the same bound). */
    int MAX_FRAME_LENGTH = 262_144;

    /**
     * Fills {@code frame} with the next record.
     *
     * @return false at the clean end of the file
     * @throws CaptureFormatException when the file is corrupt or truncated; the frames read before
     *     remain valid
     */
    boolean next(Frame frame) throws IOException;

    /** Byte offset of the next record. */
    long position();

    /** The name used in error messages. */
    String fileName();

    /**
     * Opens a capture, recognising the format from its first bytes.
     *
     * @param defaultInterface interface name for frames whose file records none
     */
    static CaptureReader open(InputStream in, String fileName, String defaultInterface)
            throws IOException {
        return open(in, fileName, defaultInterface, false);
    }

    /**
     * Opens a capture.
     *
     * @param ignoreRecordedNames name every interface after {@code defaultInterface}, even those
     *     the file names itself (pcapng {@code if_name})
     */
    static CaptureReader open(
            InputStream in, String fileName, String defaultInterface, boolean ignoreRecordedNames)
            throws IOException {
        return CaptureFormats.open(
                new ByteSource(in), fileName, defaultInterface, ignoreRecordedNames);
    }

    /** Opens a capture file from disk. */
    static CaptureReader open(Path path, String defaultInterface) throws IOException {
        return open(path, path.toString(), defaultInterface, false);
    }

    /**
     * Opens a capture file from disk, reading it through memory mapped from the file: each byte is
     * copied once, where a stream copies it twice.
     *
     * @param fileName the name used in error messages
     */
    static CaptureReader open(
            Path path, String fileName, String defaultInterface, boolean ignoreRecordedNames)
            throws IOException {
        // A named pipe or a device cannot be mapped; a missing file fails either way, with the
        // JDK's message.
        ByteSource.Input in =
                Files.isRegularFile(path)
                        ? new MappedFileInput(path)
                        : ByteSource.input(Files.newInputStream(path));
        try {
            return CaptureFormats.open(
                    new ByteSource(in), fileName, defaultInterface, ignoreRecordedNames);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
