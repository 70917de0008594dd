package io.flowtap.intel;

/**
 * A new version of a data feed, as text that has been checked to parse. Flink POJO: the feed
 * watcher sends it to every flow tracker instance, which keep the newest text of each feed in
 * broadcast state.
 */
public class FeedUpdate {
    /** The feed's name, as indicators' {@code data_feeds} name it. */
    public String name;

    /** Where it was read, for messages: {@code feeds/<name>.txt}. */
    public String source;

    /** The feed's text. */
    public String text;

    public FeedUpdate() {}

    public FeedUpdate(String name, String source, String text) {
        this.name = name;
        this.source = source;
        this.text = text;
    }

    /** The feed the text holds. */
    public Feed parse() throws FeedException {
        return Feed.parse(name, source, text);
    }
}
