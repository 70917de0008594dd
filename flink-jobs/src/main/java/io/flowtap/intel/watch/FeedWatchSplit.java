package io.flowtap.intel.watch;

import org.apache.flink.api.connector.source.SourceSplit;

import java.util.Map;
import java.util.TreeMap;

/**
 * The one split of the feed watcher: the feeds it watches and, for each, the digest of the content
 * in force (the version the job started with or last sent).
 */
public final class FeedWatchSplit implements SourceSplit {
    static final String ID = "feeds";

    /** Feed name to the SHA-256 (hex) of its content in force. */
    final TreeMap<String, String> inForce;

    FeedWatchSplit(Map<String, String> inForce) {
        this.inForce = new TreeMap<>(inForce);
    }

    @Override
    public String splitId() {
        return ID;
    }
}
