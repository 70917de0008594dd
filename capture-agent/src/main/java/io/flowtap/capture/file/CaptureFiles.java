package io.flowtap.capture.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finds capture files and orders them by the time of their first packet. */
public final class CaptureFiles {
    private static final List<String> EXTENSIONS = List.of(".pcap", ".pcapng", ".cap", ".pcap0");

    private CaptureFiles() {}

    /**
     * Expands files and directories (searched recursively for {@code .pcap}, {@code .pcapng} and
     * {@code .cap} files) into a list of files.
     *
     * @throws NoSuchFileException for an input that does not exist
     * @throws IOException for an input that cannot be read, naming it
     */
    public static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (!Files.exists(in)) {
                throw new NoSuchFileException(in.toString(), null, "no such file or directory");
            }
            if (Files.isDirectory(in)) {
                try (Stream<Path> walk = Files.walk(in)) {
                    files.addAll(
                            walk.filter(Files::isRegularFile)
                                    .filter(CaptureFiles::hasCaptureExtension)
                                    .sorted()
                                    .collect(Collectors.toList()));
                }
            } else {
                if (!Files.isReadable(in)) {
                    throw new IOException(in + ": permission denied");
                }
                files.add(in);
            }
        }
        return files;
    }

    static boolean hasCaptureExtension(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * Timestamp of the first frame in nanoseconds, or {@link Long#MAX_VALUE} for a file without
     * frames. Fails when the file is not a readable capture.
     */
    public static long firstTimestamp(Path file) throws IOException {
        try (CaptureReader reader = CaptureReader.open(file, "probe")) {
            Frame f = new Frame();
            try {
                return reader.next(f) ? f.timestampNanos : Long.MAX_VALUE;
            } catch (CaptureFormatException e) {
                // The header is fine; the corruption is reported when the file is read.
                return Long.MAX_VALUE;
            }
        }
    }

    /** Sorts files by first timestamp, then by name; checks every file is a capture. */
    public static List<Path> inTimeOrder(List<Path> files) throws IOException {
        List<long[]> keys = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            keys.add(new long[] {firstTimestamp(files.get(i)), i});
        }
        keys.sort(Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]));
        List<Path> sorted = new ArrayList<>(files.size());
        for (long[] k : keys) {
            sorted.add(files.get((int) k[1]));
        }
        return sorted;
    }
}
