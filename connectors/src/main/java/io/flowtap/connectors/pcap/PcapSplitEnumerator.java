package io.flowtap.connectors.pcap;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Hands capture files to readers on request, in the order given (the source sorts them by their
 * first timestamp, so every reader moves forward in event time).
 */
final class PcapSplitEnumerator implements SplitEnumerator<PcapSplit, List<PcapSplit>> {
    private final SplitEnumeratorContext<PcapSplit> context;
    private final Deque<PcapSplit> pending;

    PcapSplitEnumerator(SplitEnumeratorContext<PcapSplit> context, List<PcapSplit> pending) {
        this.context = context;
        this.pending = new ArrayDeque<>(pending);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        PcapSplit next = pending.pollFirst();
        if (next != null) {
            context.assignSplit(next, subtaskId);
        } else {
            context.signalNoMoreSplits(subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<PcapSplit> splits, int subtaskId) {
        // Returned splits go first: they are the oldest in event time.
        for (int i = splits.size() - 1; i >= 0; i--) {
            pending.addFirst(splits.get(i));
        }
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for splits themselves.
    }

    @Override
    public List<PcapSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(pending);
    }

    @Override
    public void close() {}
}
