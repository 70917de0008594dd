package io.flowtap.rpc;

import org.apache.flink.runtime.rpc.FencedRpcGateway;
import org.apache.flink.runtime.rpc.RpcEndpoint;
import org.apache.flink.runtime.rpc.RpcGateway;
import org.apache.flink.runtime.rpc.RpcServer;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.exceptions.HandshakeException;
import org.apache.flink.runtime.rpc.exceptions.RpcConnectionException;
import org.apache.flink.util.concurrent.FutureUtils;
import org.apache.flink.util.concurrent.ScheduledExecutor;
import org.apache.flink.util.concurrent.ScheduledExecutorServiceAdapter;

import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link RpcService} of {@link InProcessRpcSystem}. Endpoints started by any service of the JVM
 * can be connected to by their address ({@code inproc://<service>/<endpoint id>}): an embedded
 * cluster's metric query service runs on a service of its own and is reached from the other.
 */
final class InProcessRpcService implements RpcService {
    /** Every running endpoint of the JVM, by address. */
    private static final Map<String, Mailbox> ENDPOINTS = new ConcurrentHashMap<>();

    private static final AtomicLong SERVICES = new AtomicLong();

    private final String name;
    private final Duration defaultTimeout;
    private final ScheduledThreadPoolExecutor scheduler;

    /** Completes callers' futures, so that their callbacks never run on an endpoint's thread. */
    private final ExecutorService completions;

    private final Set<Mailbox> mailboxes = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean closing;

    InProcessRpcService(String componentName, Duration defaultTimeout) {
        this.name = componentName + "-" + SERVICES.incrementAndGet();
        this.defaultTimeout = defaultTimeout;
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemons(name + "-scheduler"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.completions = Executors.newCachedThreadPool(daemons(name + "-completion"));
    }

    /** Daemon threads named {@code prefix-n}, with this class's loader as context loader. */
    static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        ClassLoader loader = InProcessRpcService.class.getClassLoader();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        };
    }

    Duration defaultTimeout() {
        return defaultTimeout;
    }

    ScheduledThreadPoolExecutor scheduler() {
        return scheduler;
    }

    /**
     * Runs {@code completion} on a thread of the service's own, never an endpoint's, so that the
     * callbacks of the future it completes run there too; on the caller's thread once the service
     * has closed.
     */
    void complete(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    @Override
    public String getAddress() {
        return ""; // as a local Pekko service: no host of its own (the loopback address)
    }

    @Override
    public int getPort() {
        return -1;
    }

    @Override
    public <C extends RpcGateway> C getSelfGateway(Class<C> type, RpcServer server) {
        if (!type.isInstance(server)) {
            throw new IllegalArgumentException(
                    "the endpoint at " + server.getAddress() + " is no " + type.getName());
        }
        return type.cast(server);
    }

    @Override
    public <C extends RpcGateway> CompletableFuture<C> connect(String address, Class<C> type) {
        return gateway(address, null, type);
    }

    @Override
    public <F extends Serializable, C extends FencedRpcGateway<F>> CompletableFuture<C> connect(
            String address, F fencingToken, Class<C> type) {
        return gateway(address, fencingToken, type);
    }

    private <C> CompletableFuture<C> gateway(
            String address, Serializable fencingToken, Class<C> type) {
        Mailbox mailbox = ENDPOINTS.get(address);
        if (mailbox == null) {
            return FutureUtils.completedExceptionally(
                    new RpcConnectionException(
                            "Could not connect to rpc endpoint under address " + address));
        }
        if (!type.isInstance(mailbox.endpoint())) {
            return FutureUtils.completedExceptionally(
                    new HandshakeException(
                            "The rpc endpoint at "
                                    + address
                                    + " does not support the gateway "
                                    + type.getName()));
        }
        Object proxy =
                Proxy.newProxyInstance(
                        type.getClassLoader(),
                        new Class<?>[] {type},
                        new GatewayHandler(mailbox, fencingToken, false));
        return CompletableFuture.completedFuture(type.cast(proxy));
    }

    @Override
    public <C extends RpcEndpoint & RpcGateway> RpcServer startServer(
            C endpoint, Map<String, String> loggingContext) {
        if (closing) {
            throw new IllegalStateException("RPC service " + name + " is closed");
        }
        String address = InProcessRpcSystem.SCHEME + "://" + name + "/" + endpoint.getEndpointId();
        Mailbox mailbox = new Mailbox(this, endpoint, address);
        if (ENDPOINTS.putIfAbsent(address, mailbox) != null) {
            mailbox.discard();
            throw new IllegalStateException("an endpoint runs at " + address + " already");
        }
        mailboxes.add(mailbox);
        mailbox.terminationFuture()
                .whenComplete(
                        (v, t) -> {
                            ENDPOINTS.remove(address, mailbox);
                            mailboxes.remove(mailbox);
                        });
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        interfaces.add(RpcServer.class);
        gateways(endpoint.getClass(), interfaces);
        return (RpcServer)
                Proxy.newProxyInstance(
                        endpoint.getClass().getClassLoader(),
                        interfaces.toArray(new Class<?>[0]),
                        new GatewayHandler(mailbox, null, true));
    }

    /** The RPC gateway interfaces a class implements, its superclasses' included. */
    private static void gateways(Class<?> c, Set<Class<?>> out) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Class<?> i : k.getInterfaces()) {
                if (RpcGateway.class.isAssignableFrom(i)) {
                    out.add(i);
                }
            }
        }
    }

    @Override
    public void stopServer(RpcServer server) {
        Mailbox mailbox = ENDPOINTS.get(server.getAddress());
        if (mailbox != null) {
            mailbox.terminate();
        }
    }

    @Override
    public ScheduledExecutor getScheduledExecutor() {
        return new ScheduledExecutorServiceAdapter(scheduler);
    }

    /** Terminates the endpoints still running, then the service's threads. */
    @Override
    public CompletableFuture<Void> closeAsync() {
        if (!closing) {
            closing = true;
            List<CompletableFuture<Void>> ends = new ArrayList<>();
            for (Mailbox m : mailboxes) {
                m.terminate();
                ends.add(m.terminationFuture().handle((v, t) -> null));
            }
            FutureUtils.waitForAll(ends)
                    .whenComplete(
                            (v, t) -> {
                                scheduler.shutdownNow();
                                completions.shutdown();
                                terminated.complete(null);
                            });
        }
        return terminated;
    }

    @Override
    public String toString() {
        return "InProcessRpcService(" + name + ")";
    }
}
