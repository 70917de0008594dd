package io.flowtap.intel.watch;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands the one split to the first reader that asks, and takes it back when that reader fails. Its
 * checkpoint is the split when no reader holds it.
 */
final class FeedWatchEnumerator implements SplitEnumerator<FeedWatchSplit, List<FeedWatchSplit>> {
    private final SplitEnumeratorContext<FeedWatchSplit> context;
    private final List<FeedWatchSplit> unassigned;

    FeedWatchEnumerator(
            SplitEnumeratorContext<FeedWatchSplit> context, List<FeedWatchSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        if (!unassigned.isEmpty()) {
            context.assignSplit(unassigned.remove(0), subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<FeedWatchSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public List<FeedWatchSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(unassigned);
    }

    @Override
    public void close() {}
}
