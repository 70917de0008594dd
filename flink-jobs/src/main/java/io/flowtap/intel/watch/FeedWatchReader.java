package io.flowtap.intel.watch;

import io.flowtap.intel.Feed;
import io.flowtap.intel.FeedException;
import io.flowtap.intel.FeedUpdate;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the watched feed files every poll interval and sends each one whose content changed and
 * parses. A file that fails to parse is reported once per content, with its line, and the version
 * in force stays so; so does one that cannot be read.
 */
final class FeedWatchReader implements SourceReader<FeedUpdate, FeedWatchSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(FeedWatchReader.class);

    private final SourceReaderContext context;
    private final Path feedsDir;
    private final long pollMs;
    private final Counter updates;
    private final Counter errors;

    /** Feed name to the digest of the content last refused, so that it is reported once. */
    private final Map<String, String> refused = new HashMap<>();

    private final CompletableFuture<Void> splitArrived = new CompletableFuture<>();
    private FeedWatchSplit split;
    private long nextPollMs;

    FeedWatchReader(SourceReaderContext context, Path feedsDir, long pollMs) {
        this.context = context;
        this.feedsDir = feedsDir;
        this.pollMs = pollMs;
        MetricGroup metrics = context.metricGroup().addGroup("flowtap");
        this.updates = metrics.counter(FeedWatchSource.METRIC_UPDATES);
        this.errors = metrics.counter(FeedWatchSource.METRIC_ERRORS);
    }

    @Override
    public void start() {
        context.sendSplitRequest();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<FeedUpdate> output) {
        long now = System.currentTimeMillis();
        if (split != null && now >= nextPollMs) {
            nextPollMs = now + pollMs;
            for (String name : List.copyOf(split.inForce.keySet())) {
                check(name, output);
            }
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private void check(String name, ReaderOutput<FeedUpdate> output) {
        String source = "feeds/" + name + ".txt";
        String text;
        try {
            text = Files.readString(feedsDir.resolve(name + ".txt"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            refuse(name, "missing", source + ": the file is gone");
            return;
        } catch (IOException e) {
            refuse(name, "unreadable", source + ": " + e.getMessage());
            return;
        }
        String digest = Feed.digestOf(text);
        if (digest.equals(split.inForce.get(name)) || digest.equals(refused.get(name))) {
            return;
        }
        FeedUpdate update = new FeedUpdate(name, source, text);
        Feed feed;
        try {
            feed = update.parse();
        } catch (FeedException e) {
            refuse(
                    name,
                    digest,
                    source + ": line " + e.line() + ": " + e.reason() + " (rule: feed entry)");
            return;
        }
        refused.remove(name);
        split.inForce.put(name, digest);
        updates.inc();
        LOG.info("{}: new version in force, {} entries", source, feed.size());
        output.collect(update);
    }

    private void refuse(String name, String digest, String message) {
        if (!digest.equals(refused.put(name, digest))) {
            errors.inc();
            LOG.error("{}; the version in force stays", message);
        }
    }

    @Override
    public List<FeedWatchSplit> snapshotState(long checkpointId) {
        return split == null ? List.of() : List.of(new FeedWatchSplit(split.inForce));
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (split == null) {
            return splitArrived;
        }
        long wait = Math.max(1, nextPollMs - System.currentTimeMillis());
        return CompletableFuture.runAsync(
                () -> {}, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS));
    }

    @Override
    public void addSplits(List<FeedWatchSplit> splits) {
        split = splits.get(0);
        splitArrived.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() {}
}
