package io.flowtap.connectors.pcap;

import org.apache.flink.api.connector.source.SourceSplit;

import java.io.Serializable;
import java.util.List;

/**
 * Capture files that one reader reads one after the other, in order, and how far it got: the index
 * of the current file and how many of its events were already emitted. A restore reads that file
 * again from its start and skips those events (the reader's flow table, which decides payload
 * carriage, is rebuilt on the way).
 */
public final class PcapSplit implements SourceSplit, Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final List<String> paths;
    private final List<String> interfaces;
    private final int fileIndex;
    private final long eventsEmitted;

    /**
     * @param interfaces for each file, the interface name of frames whose file records none
     */
    public PcapSplit(
            String id,
            List<String> paths,
            List<String> interfaces,
            int fileIndex,
            long eventsEmitted) {
        if (paths.size() != interfaces.size()) {
            throw new IllegalArgumentException("one interface name per file");
        }
        this.id = id;
        this.paths = List.copyOf(paths);
        this.interfaces = List.copyOf(interfaces);
        this.fileIndex = fileIndex;
        this.eventsEmitted = eventsEmitted;
    }

    @Override
    public String splitId() {
        return id;
    }

    public List<String> paths() {
        return paths;
    }

    public List<String> interfaces() {
        return interfaces;
    }

    public int fileIndex() {
        return fileIndex;
    }

    public long eventsEmitted() {
        return eventsEmitted;
    }

    public PcapSplit at(int fileIndex, long eventsEmitted) {
        return new PcapSplit(id, paths, interfaces, fileIndex, eventsEmitted);
    }

    @Override
    public String toString() {
        return "PcapSplit{"
                + id
                + ", file "
                + fileIndex
                + " of "
                + paths
                + ", emitted="
                + eventsEmitted
                + "}";
    }
}
