package io.flowtap.testing;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Passes elements on, but holds the one at a given index until the test opens the gate: a way to
 * take a server down while a job on the local cluster (same JVM) is known to be mid-stream.
 */
public final class Gate<T> implements MapFunction<T, T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();

    private final String name;
    private final int index;
    private int seen;

    private Gate(String name, int index) {
        this.name = name;
        this.index = index;
    }

    /** A closed gate that holds the element at {@code index} (0-based) of each subtask. */
    public static <T> Gate<T> closedAt(String name, int index) {
        LATCHES.put(name, new CountDownLatch(1));
        return new Gate<>(name, index);
    }

    public static void open(String name) {
        LATCHES.get(name).countDown();
    }

    @Override
    public T map(T element) throws Exception {
        if (seen++ == index) {
            LATCHES.get(name).await();
        }
        return element;
    }
}
