package io.flowtap.connectors.pcap;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One capture file to read, and how many of its events were already emitted (for restoring from a
 * checkpoint: the file is read again from the start and that many events are skipped, because the
 * flow table that decides payload carriage must be rebuilt anyway).
 */
public final class PcapSplit implements SourceSplit, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String path;
    private final long eventsEmitted;

    public PcapSplit(String id, String path, long eventsEmitted) {
        this.id = id;
        this.path = path;
        this.eventsEmitted = eventsEmitted;
    }

    @Override
    public String splitId() {
        return id;
    }

    public String path() {
        return path;
    }

    public long eventsEmitted() {
        return eventsEmitted;
    }

    public PcapSplit withEventsEmitted(long n) {
        return new PcapSplit(id, path, n);
    }

    @Override
    public String toString() {
        return "PcapSplit{" + id + ", " + path + ", emitted=" + eventsEmitted + "}";
    }
}
