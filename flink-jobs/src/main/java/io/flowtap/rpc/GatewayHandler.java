package io.flowtap.rpc;

import org.apache.flink.runtime.rpc.FencedRpcEndpoint;
import org.apache.flink.runtime.rpc.FencedRpcGateway;
import org.apache.flink.runtime.rpc.MainThreadExecutable;
import org.apache.flink.runtime.rpc.RpcGateway;
import org.apache.flink.runtime.rpc.RpcGatewayUtils;
import org.apache.flink.runtime.rpc.RpcServer;
import org.apache.flink.runtime.rpc.StartStoppable;
import org.apache.flink.runtime.rpc.exceptions.FencingTokenException;
import org.apache.flink.util.ExceptionUtils;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a gateway proxy does with a call. Remote procedures (the gateway interface's own methods)
 * run on the endpoint's thread: one returning a future answers through a future completed off that
 * thread, failed after the call's timeout ({@code @RpcTimeout} or the ask timeout); a void one is
 * told and forgotten; any other blocks its caller for the answer. An endpoint's own gateway (its
 * {@link RpcServer}) also runs, calls and schedules tasks on that thread. Calls to a fenced
 * endpoint through a gateway connected with another fencing token fail with a {@link
 * FencingTokenException}.
 */
final class GatewayHandler implements InvocationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final Mailbox mailbox;
    private final Serializable fencingToken;

    /** Whether this is the endpoint's own gateway: unfenced, and its main-thread methods work. */
    private final boolean server;

    GatewayHandler(Mailbox mailbox, Serializable fencingToken, boolean server) {
        this.mailbox = mailbox;
        this.fencingToken = fencingToken;
        this.server = server;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Class<?> declaring = method.getDeclaringClass();
        if (declaring == Object.class) {
            return objectMethod(proxy, method, args);
        }
        if (declaring == RpcGateway.class) {
            return method.getName().equals("getAddress") ? mailbox.address() : "localhost";
        }
        if (declaring == FencedRpcGateway.class) {
            return fencingToken != null ? fencingToken : expectedToken();
        }
        if (declaring == MainThreadExecutable.class
                || declaring == StartStoppable.class
                || declaring == RpcServer.class) {
            if (!server) {
                throw new UnsupportedOperationException(
                        method.getName() + " is for the endpoint's own gateway only");
            }
            return serverMethod(method, args);
        }
        return remoteProcedure(method, args);
    }

    private Object objectMethod(Object proxy, Method method, Object[] args) {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            default:
                return "InProcessGateway(" + mailbox.address() + ")";
        }
    }

    private Object serverMethod(Method method, Object[] args) {
        switch (method.getName()) {
            case "start":
                mailbox.start();
                return null;
            case "stop":
                mailbox.stop();
                return null;
            case "getTerminationFuture":
                return mailbox.terminationFuture();
            case "runAsync":
                runAsync((Runnable) args[0]);
                return null;
            case "scheduleRunAsync":
                scheduleRunAsync((Runnable) args[0], (Long) args[1]);
                return null;
            case "callAsync":
                return callAsync((Callable<?>) args[0], (Duration) args[1]);
            default:
                throw new UnsupportedOperationException(method.toString());
        }
    }

    private void runAsync(Runnable runnable) {
        mailbox.deliver(
                () -> {
                    try {
                        runnable.run();
                    } catch (Throwable t) {
                        LOG.error("Caught exception while executing runnable in main thread.", t);
                        ExceptionUtils.rethrowIfFatalErrorOrOOM(t);
                    }
                },
                reason -> LOG.debug("Discarded a runnable for {}: {}", mailbox.address(), reason));
    }

    private void scheduleRunAsync(Runnable runnable, long delayMillis) {
        if (delayMillis <= 0) {
            runAsync(runnable);
            return;
        }
        try {
            mailbox.service()
                    .scheduler()
                    .schedule(() -> runAsync(runnable), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Discarded a scheduled runnable for {}: closed", mailbox.address());
        }
    }

    private CompletableFuture<Object> callAsync(Callable<?> callable, Duration timeout) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        mailbox.deliver(
                () -> {
                    try {
                        complete(result, callable.call(), null);
                    } catch (Throwable t) {
                        complete(result, null, t);
                    }
                },
                reason -> complete(result, null, reason));
        failAfter(result, timeout, "callAsync");
        return result;
    }

    private Object remoteProcedure(Method method, Object[] args) throws Throwable {
        Duration timeout =
                RpcGatewayUtils.extractRpcTimeout(
                        method.getParameterAnnotations(), args, mailbox.service().defaultTimeout());
        Class<?> returns = method.getReturnType();
        if (returns == void.class) {
            mailbox.deliver(
                    () -> {
                        try {
                            call(method, args);
                        } catch (Throwable t) {
                            LOG.error("Error while executing remote procedure call {}.", method, t);
                            ExceptionUtils.rethrowIfFatalErrorOrOOM(t);
                        }
                    },
                    reason ->
                            LOG.debug("Discarded {} to {}: {}", method, mailbox.address(), reason));
            return null;
        }
        if (!CompletionStage.class.isAssignableFrom(returns) && mailbox.onMainThread()) {
            return call(method, args); // a blocking call to itself would never be answered
        }
        CompletableFuture<Object> result = new CompletableFuture<>();
        mailbox.deliver(
                () -> {
                    try {
                        Object value = call(method, args);
                        if (value instanceof CompletionStage) {
                            ((CompletionStage<?>) value)
                                    .whenComplete((v, t) -> complete(result, v, t));
                        } else {
                            complete(result, value, null);
                        }
                    } catch (Throwable t) {
                        complete(result, null, t);
                    }
                },
                reason -> complete(result, null, reason));
        failAfter(result, timeout, method.getName());
        if (CompletionStage.class.isAssignableFrom(returns)) {
            return result;
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    /** Calls the endpoint's method, on its thread, once the fencing token is found right. */
    private Object call(Method method, Object[] args) throws Throwable {
        if (!server && mailbox.endpoint() instanceof FencedRpcEndpoint) {
            Object expected = expectedToken();
            if (fencingToken == null || !Objects.equals(fencingToken, expected)) {
                throw new FencingTokenException(
                        "Fencing token mismatch: ignoring "
                                + method.getName()
                                + " because the fencing token "
                                + fencingToken
                                + " did not match the expected fencing token "
                                + expected
                                + ".");
            }
        }
        try {
            method.setAccessible(true); // gateways of tests may be package-private
            return method.invoke(mailbox.endpoint(), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Object expectedToken() {
        return mailbox.endpoint() instanceof FencedRpcEndpoint
                ? ((FencedRpcEndpoint<?>) mailbox.endpoint()).getFencingToken()
                : null;
    }

    /** Completes a caller's future off the endpoint's thread, so its callbacks run elsewhere. */
    private void complete(CompletableFuture<Object> result, Object value, Throwable failure) {
        mailbox.service()
                .complete(
                        () -> {
                            if (failure == null) {
                                result.complete(value);
                            } else {
                                result.completeExceptionally(failure);
                            }
                        });
    }

    private void failAfter(CompletableFuture<Object> result, Duration timeout, String what) {
        if (result.isDone()) {
            return;
        }
        try {
            ScheduledFuture<?> timer =
                    mailbox.service()
                            .scheduler()
                            .schedule(
                                    () ->
                                            result.completeExceptionally(
                                                    new TimeoutException(
                                                            "Invocation of "
                                                                    + what
                                                                    + " at "
                                                                    + mailbox.address()
                                                                    + " timed out after "
                                                                    + timeout)),
                                    timeout.toMillis(),
                                    TimeUnit.MILLISECONDS);
            result.whenComplete((v, t) -> timer.cancel(false));
        } catch (RejectedExecutionException e) {
            // the service is closing: its endpoints answer or are unreachable without a timer
        }
    }
}
