package io.flowtap.testing;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * Passes elements on one every so many milliseconds, so a short job is still running while the test
 * takes a server down. Unlike {@link Gate} it never blocks for long, so checkpoints go on.
 */
public final class Pace<T> implements MapFunction<T, T> {
    private static final long serialVersionUID = 1L;

    private final long millis;

    public Pace(long millis) {
        this.millis = millis;
    }

    @Override
    public T map(T element) throws Exception {
        Thread.sleep(millis);
        return element;
    }
}
