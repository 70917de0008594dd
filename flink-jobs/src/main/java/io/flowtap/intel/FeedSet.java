package io.flowtap.intel;

import java.util.HashMap;
import java.util.Map;

/**
 * The versions of the data feeds in force: those the job started with, replaced by name as newer
 * versions arrive. Not thread-safe; each operator instance keeps its own.
 */
public final class FeedSet {
    private final Map<String, Feed> replaced = new HashMap<>();

    /** The version of {@code feed} in force: a newer one of the same name, or {@code feed}. */
    public Feed current(Feed feed) {
        Feed newer = replaced.get(feed.name());
        return newer != null ? newer : feed;
    }

    /** Puts a newer version of a feed in force. */
    public void replace(Feed feed) {
        replaced.put(feed.name(), feed);
    }

    /** Feeds replaced since the job started. */
    public int replacedCount() {
        return replaced.size();
    }
}
