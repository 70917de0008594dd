package io.flowtap.capture.file;

import java.io.BufferedInputStream;
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
        ByteSource src = new ByteSource(in);
        if (!src.ensure(4)) {
            throw new CaptureFormatException(
                    fileName, 0, "not a capture file (shorter than a file header)");
        }
        byte[] b = src.buffer();
        int p = src.bufferPosition();
        long magicBe = ByteSource.u32(b, p, true);
        if (magicBe == PcapngReader.BLOCK_SHB) {
            return new PcapngReader(src, fileName, defaultInterface, ignoreRecordedNames);
        }
        if (PcapReader.isMagic(magicBe)) {
            return new PcapReader(src, fileName, defaultInterface);
        }
        throw new CaptureFormatException(
                fileName,
                0,
                String.format("not a pcap or pcapng file (magic 0x%08x)", magicBe & 0xffffffffL));
    }

    /** Opens a capture file from disk. */
    static CaptureReader open(Path path, String defaultInterface) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        try {
            return open(in, path.toString(), defaultInterface);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
