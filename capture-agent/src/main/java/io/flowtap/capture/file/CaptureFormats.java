package io.flowtap.capture.file;

import java.io.IOException;

/** Recognises a capture's format from its first bytes and opens the reader for it. */
final class CaptureFormats {
    private CaptureFormats() {}

    static CaptureReader open(
            ByteSource src, String fileName, String defaultInterface, boolean ignoreRecordedNames)
            throws IOException {
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
}
