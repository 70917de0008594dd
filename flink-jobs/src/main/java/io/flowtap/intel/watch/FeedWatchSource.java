package io.flowtap.intel.watch;

import io.flowtap.intel.Feed;
import io.flowtap.intel.FeedUpdate;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An unbounded source of new versions of the intelligence data feeds: watches {@code
 * feeds/<name>.txt} of a configuration directory and sends each feed whose content changed and
 * parses. It runs as one reader; its checkpoint holds the digest of each feed's version in force.
 *
 * <p>Its output carries no event time: {@link #watermarks()} keeps it from holding back the
 * watermark of the operators it joins.
 */
public final class FeedWatchSource
        implements Source<FeedUpdate, FeedWatchSplit, List<FeedWatchSplit>>,
                ResultTypeQueryable<FeedUpdate> {
    private static final long serialVersionUID = 1L;

    public static final String METRIC_UPDATES = "feedUpdatesRead";
    public static final String METRIC_ERRORS = "feedErrors";

    private final String feedsDir;
    private final TreeMap<String, String> inForce;
    private final long pollMs;

    private FeedWatchSource(Path feedsDir, Map<String, String> inForce, long pollMs) {
        this.feedsDir = feedsDir.toString();
        this.inForce = new TreeMap<>(inForce);
        this.pollMs = pollMs;
    }

    /**
     * @param feedsDir the {@code feeds} directory of the configuration
     * @param feeds the feeds as the job starts with them
     * @param poll how often to read the files
     */
    public static FeedWatchSource of(Path feedsDir, Collection<Feed> feeds, Duration poll) {
        if (poll.toMillis() < 1) {
            throw new IllegalArgumentException("the poll interval must be positive");
        }
        Map<String, String> inForce = new TreeMap<>();
        for (Feed f : feeds) {
            inForce.put(f.name(), f.digest());
        }
        return new FeedWatchSource(feedsDir, inForce, poll.toMillis());
    }

    /** Watermarks at the end of time: feed updates must not hold back event time downstream. */
    public static WatermarkStrategy<FeedUpdate> watermarks() {
        return WatermarkStrategy.forGenerator(ctx -> new EndOfTime());
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<FeedUpdate, FeedWatchSplit> createReader(SourceReaderContext context) {
        return new FeedWatchReader(context, Path.of(feedsDir), pollMs);
    }

    @Override
    public SplitEnumerator<FeedWatchSplit, List<FeedWatchSplit>> createEnumerator(
            SplitEnumeratorContext<FeedWatchSplit> context) {
        return new FeedWatchEnumerator(context, List.of(new FeedWatchSplit(inForce)));
    }

    @Override
    public SplitEnumerator<FeedWatchSplit, List<FeedWatchSplit>> restoreEnumerator(
            SplitEnumeratorContext<FeedWatchSplit> context, List<FeedWatchSplit> checkpoint) {
        return new FeedWatchEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<FeedWatchSplit> getSplitSerializer() {
        return FeedWatchSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<FeedWatchSplit>> getEnumeratorCheckpointSerializer() {
        return FeedWatchEnumeratorSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<FeedUpdate> getProducedType() {
        return TypeInformation.of(FeedUpdate.class);
    }

    private static final class EndOfTime implements WatermarkGenerator<FeedUpdate> {
        @Override
        public void onEvent(FeedUpdate event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
        }
    }
}
