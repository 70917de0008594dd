package io.flowtap.rpc;

import org.apache.flink.runtime.rpc.MainThreadValidatorUtil;
import org.apache.flink.runtime.rpc.RpcEndpoint;
import org.apache.flink.runtime.rpc.exceptions.EndpointNotStartedException;
import org.apache.flink.runtime.rpc.exceptions.RecipientUnreachableException;
import org.apache.flink.runtime.rpc.exceptions.RpcException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One endpoint's queue of work and its thread, the endpoint's main thread: what gateways ask of the
 * endpoint runs there one task after another, in the order asked. Its lifecycle is an actor's in
 * Flink's Pekko system: calls are discarded (and a caller waiting for an answer told why) before
 * the endpoint is started, while it is stopped and once it has terminated; they are taken while it
 * runs and while it terminates, until the future its {@code onStop} returned completes.
 */
final class Mailbox {
    private enum State {
        NEW,
        RUNNING,
        STOPPED,
        TERMINATING,
        TERMINATED
    }

    private final InProcessRpcService service;
    private final RpcEndpoint endpoint;
    private final String address;
    private final ThreadPoolExecutor thread;
    private final MainThreadValidatorUtil validator;
    private final CompletableFuture<Void> termination = new CompletableFuture<>();

    /** Written on the endpoint's thread only; read by callers to answer without a task. */
    private volatile State state = State.NEW;

    private volatile Thread mainThread;

    Mailbox(InProcessRpcService service, RpcEndpoint endpoint, String address) {
        this.service = service;
        this.endpoint = endpoint;
        this.address = address;
        this.thread =
                new ThreadPoolExecutor(
                        1,
                        1,
                        0,
                        TimeUnit.MILLISECONDS,
                        new LinkedBlockingQueue<>(),
                        InProcessRpcService.daemons(address.substring(address.indexOf("//") + 2)));
        this.validator = new MainThreadValidatorUtil(endpoint);
    }

    RpcEndpoint endpoint() {
        return endpoint;
    }

    String address() {
        return address;
    }

    InProcessRpcService service() {
        return service;
    }

    CompletableFuture<Void> terminationFuture() {
        return termination;
    }

    /** Whether the calling thread is the endpoint's main thread. */
    boolean onMainThread() {
        return Thread.currentThread() == mainThread;
    }

    /**
     * Runs {@code task} on the endpoint's thread if the endpoint takes calls when its turn comes;
     * otherwise hands {@code rejected} the reason (on that thread, or on the caller's when the
     * endpoint has terminated).
     */
    void deliver(Runnable task, Consumer<Exception> rejected) {
        submit(
                () -> {
                    State s = state;
                    if (s == State.RUNNING || s == State.TERMINATING) {
                        task.run();
                    } else {
                        rejected.accept(notTaken(s));
                    }
                },
                () -> rejected.accept(notTaken(State.TERMINATED)));
    }

    /** Starts the endpoint (its {@code onStart}), first or again after {@link #stop}. */
    void start() {
        submit(
                () -> {
                    if (state != State.NEW && state != State.STOPPED) {
                        return;
                    }
                    try {
                        endpoint.internalCallOnStart();
                        state = State.RUNNING;
                    } catch (Throwable t) {
                        state = State.TERMINATED;
                        finish(new RpcException("Could not start RpcEndpoint " + address, t));
                    }
                },
                () -> {});
    }

    /** Stops taking calls until started again; the endpoint is not told. */
    void stop() {
        submit(
                () -> {
                    if (state == State.RUNNING) {
                        state = State.STOPPED;
                    }
                },
                () -> {});
    }

    /** Calls the endpoint's {@code onStop} and terminates once the future it returns completes. */
    void terminate() {
        submit(
                () -> {
                    if (state == State.TERMINATING || state == State.TERMINATED) {
                        return;
                    }
                    state = State.TERMINATING;
                    CompletableFuture<Void> stopped;
                    try {
                        stopped = endpoint.internalCallOnStop();
                    } catch (Throwable t) {
                        stopped = CompletableFuture.failedFuture(t);
                    }
                    stopped.whenComplete((v, t) -> submit(() -> ended(t), () -> ended(t)));
                },
                () -> {});
    }

    /** A mailbox whose endpoint never got an address: its thread is not needed. */
    void discard() {
        thread.shutdown();
    }

    private void ended(Throwable failure) {
        if (state == State.TERMINATED) {
            return;
        }
        state = State.TERMINATED;
        finish(
                failure == null
                        ? null
                        : new RpcException(
                                "RpcEndpoint " + address + " did not stop cleanly", failure));
    }

    /** Lets the thread end once the tasks queued have run, then completes the termination. */
    private void finish(Throwable failure) {
        thread.shutdown();
        service.complete(
                () -> {
                    if (failure == null) {
                        termination.complete(null);
                    } else {
                        termination.completeExceptionally(failure);
                    }
                });
    }

    private void submit(Runnable task, Runnable whenRejected) {
        try {
            thread.execute(() -> runAsMainThread(task));
        } catch (RejectedExecutionException e) {
            whenRejected.run();
        }
    }

    private void runAsMainThread(Runnable task) {
        mainThread = Thread.currentThread();
        validator.enterMainThread();
        try {
            task.run();
        } finally {
            validator.exitMainThread();
        }
    }

    private Exception notTaken(State s) {
        if (s == State.TERMINATED) {
            return new RecipientUnreachableException(
                    "unknown", address, "the endpoint has terminated");
        }
        return new EndpointNotStartedException(
                "Discarding message, because the rpc endpoint "
                        + address
                        + (s == State.NEW ? " has not been started yet." : " is stopped."));
    }
}
