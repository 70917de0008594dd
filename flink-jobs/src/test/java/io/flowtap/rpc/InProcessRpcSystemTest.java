package io.flowtap.rpc;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.FencedRpcEndpoint;
import org.apache.flink.runtime.rpc.FencedRpcGateway;
import org.apache.flink.runtime.rpc.RpcEndpoint;
import org.apache.flink.runtime.rpc.RpcGateway;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcTimeout;
import org.apache.flink.runtime.rpc.exceptions.EndpointNotStartedException;
import org.apache.flink.runtime.rpc.exceptions.FencingTokenException;
import org.apache.flink.runtime.rpc.exceptions.HandshakeException;
import org.apache.flink.runtime.rpc.exceptions.RecipientUnreachableException;
import org.apache.flink.runtime.rpc.exceptions.RpcConnectionException;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The in-process RPC system against real {@link RpcEndpoint}s: the contract Flink's runtime relies
 * on (main-thread execution, order, lifecycle, fencing, timeouts, termination). Assertions are on,
 * so {@code validateRunsInMainThread} checks every endpoint method below.
 */
class InProcessRpcSystemTest {
    private static final long WAIT_S = 30;

    private RpcSystem system;
    private RpcService service;

    interface CounterGateway extends RpcGateway {
        void add(int n);

        CompletableFuture<Integer> total();

        CompletableFuture<String> thread();

        int totalNow();

        CompletableFuture<Void> never(@RpcTimeout Duration timeout);

        CompletableFuture<Void> fail(String message);

        int failNow(String message);
    }

    /** Counts on its main thread; {@code log} records what ran, in order. */
    static class Counter extends RpcEndpoint implements CounterGateway {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Void> stopGate = new CompletableFuture<>();
        volatile boolean holdStop;
        private int total;

        Counter(RpcService service, String id) {
            super(service, id);
        }

        @Override
        public void add(int n) {
            validateRunsInMainThread();
            total += n;
            log.add("add " + n);
        }

        @Override
        public CompletableFuture<Integer> total() {
            validateRunsInMainThread();
            return CompletableFuture.completedFuture(total);
        }

        @Override
        public CompletableFuture<String> thread() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Override
        public int totalNow() {
            validateRunsInMainThread();
            return total;
        }

        @Override
        public CompletableFuture<Void> never(Duration timeout) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Void> fail(String message) {
            throw new IllegalStateException(message);
        }

        @Override
        public int failNow(String message) {
            throw new IllegalArgumentException(message);
        }

        void runOnMain(Runnable r) {
            runAsync(r);
        }

        <V> CompletableFuture<V> callOnMain(java.util.concurrent.Callable<V> c) {
            return callAsync(c, Duration.ofSeconds(WAIT_S));
        }

        void later(Runnable r, long ms) {
            scheduleRunAsync(r, ms, TimeUnit.MILLISECONDS);
        }

        @Override
        protected CompletableFuture<Void> onStop() {
            log.add("onStop");
            return holdStop ? stopGate : CompletableFuture.completedFuture(null);
        }
    }

    interface TokenGateway extends FencedRpcGateway<String> {
        CompletableFuture<String> hello();
    }

    static class Fenced extends FencedRpcEndpoint<String> implements TokenGateway {
        Fenced(RpcService service, String token) {
            super(service, "fenced", token);
        }

        @Override
        public CompletableFuture<String> hello() {
            validateRunsInMainThread();
            return CompletableFuture.completedFuture("hello");
        }
    }

    @BeforeEach
    void start() throws Exception {
        Configuration c = new Configuration();
        c.set(InProcessRpcOptions.IN_PROCESS, true);
        system = RpcSystem.load(c);
        service = system.localServiceBuilder(c).createAndStart();
    }

    @AfterEach
    void stop() throws Exception {
        service.closeAsync().get(WAIT_S, TimeUnit.SECONDS);
        system.close();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void flinkLoadsItOnlyWhenTheConfigurationAsksForIt() {
        assertThat(system).isInstanceOf(InProcessRpcSystem.class);
        assertThatThrownBy(() -> new InProcessRpcSystemLoader().loadRpcSystem(new Configuration()))
                .isInstanceOf(RpcLoaderException.class)
                .hasMessageContaining("flowtap.rpc.in-process");
    }

    @Test
    void callsRunOnTheEndpointsThreadInTheOrderTheyWereMade() throws Exception {
        Counter counter = new Counter(service, "counter");
        counter.start();
        CounterGateway gateway = get(service.connect(counter.getAddress(), CounterGateway.class));

        for (int i = 1; i <= 100; i++) {
            gateway.add(i);
        }
        assertThat(get(gateway.total())).isEqualTo(5050);
        assertThat(gateway.totalNow()).isEqualTo(5050);
        assertThat(counter.log).hasSize(100).startsWith("add 1", "add 2").endsWith("add 100");

        String endpointThread = get(gateway.thread());
        String callbackThread =
                get(gateway.total().thenApply(t -> Thread.currentThread().getName()));
        assertThat(endpointThread).contains("counter");
        assertThat(callbackThread).isNotEqualTo(endpointThread);
    }

    @Test
    void anEndpointsOwnGatewayRunsCallsAndSchedulesOnItsThread() throws Exception {
        Counter counter = new Counter(service, "self");
        counter.start();
        CounterGateway self = counter.getSelfGateway(CounterGateway.class);
        CompletableFuture<Integer> scheduled = new CompletableFuture<>();

        self.add(2);
        counter.runOnMain(() -> counter.add(3));
        counter.later(() -> scheduled.complete(counter.totalNow()), 20);
        Integer called = get(counter.callOnMain(counter::totalNow));

        assertThat(called).isEqualTo(5);
        assertThat(get(scheduled)).isEqualTo(5);
        assertThat(self.getAddress()).isEqualTo(counter.getAddress()).startsWith("inproc://");
    }

    @Test
    void failuresAndTimeoutsReachTheCaller() throws Exception {
        Counter counter = new Counter(service, "failing");
        counter.start();
        CounterGateway gateway = get(service.connect(counter.getAddress(), CounterGateway.class));

        assertThatThrownBy(() -> get(gateway.fail("broken")))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("broken");
        assertThatThrownBy(() -> gateway.failNow("bad"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad");
        assertThatThrownBy(() -> get(gateway.never(Duration.ofMillis(50))))
                .hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("never");
        assertThat(get(gateway.total())).as("still serving").isZero();
    }

    @Test
    void callsBeforeTheStartAndAfterTheEndAreRefused() throws Exception {
        Counter counter = new Counter(service, "lifecycle");
        String address = counter.getAddress();
        CounterGateway gateway = get(service.connect(address, CounterGateway.class));

        assertThatThrownBy(() -> get(gateway.total()))
                .hasCauseInstanceOf(EndpointNotStartedException.class);

        counter.start();
        assertThat(get(gateway.total())).isZero();
        get(counter.closeAsync());

        assertThat(counter.log).containsExactly("onStop");
        assertThatThrownBy(() -> get(gateway.total()))
                .hasCauseInstanceOf(RecipientUnreachableException.class);
        assertThatThrownBy(() -> get(service.connect(address, CounterGateway.class)))
                .hasCauseInstanceOf(RpcConnectionException.class);
    }

    @Test
    void anEndpointTerminatesWhenItsOnStopFutureCompletesAndServesUntilThen() throws Exception {
        Counter counter = new Counter(service, "slow-stop");
        counter.holdStop = true;
        counter.start();
        CounterGateway gateway = get(service.connect(counter.getAddress(), CounterGateway.class));

        CompletableFuture<Void> closed = counter.closeAsync();
        gateway.add(7);
        assertThat(get(gateway.total())).as("served while terminating").isEqualTo(7);
        assertThat(closed).isNotDone();

        counter.stopGate.complete(null);
        get(closed);
        assertThat(counter.log).containsExactly("onStop", "add 7");
    }

    @Test
    void aFencedEndpointAnswersOnlyItsToken() throws Exception {
        Fenced fenced = new Fenced(service, "leader-1");
        fenced.start();

        TokenGateway right =
                get(service.connect(fenced.getAddress(), "leader-1", TokenGateway.class));
        TokenGateway wrong =
                get(service.connect(fenced.getAddress(), "leader-0", TokenGateway.class));
        TokenGateway none = get(service.connect(fenced.getAddress(), TokenGateway.class));

        assertThat(get(right.hello())).isEqualTo("hello");
        assertThat(right.getFencingToken()).isEqualTo("leader-1");
        assertThatThrownBy(() -> get(wrong.hello()))
                .hasCauseInstanceOf(FencingTokenException.class);
        assertThatThrownBy(() -> get(none.hello())).hasCauseInstanceOf(FencingTokenException.class);
        assertThat(get(fenced.getSelfGateway(TokenGateway.class).hello())).isEqualTo("hello");
    }

    @Test
    void connectingChecksTheGatewayAndReachesOtherServicesOfTheJvm() throws Exception {
        Counter counter = new Counter(service, "shared");
        counter.start();

        assertThatThrownBy(() -> get(service.connect(counter.getAddress(), TokenGateway.class)))
                .hasCauseInstanceOf(HandshakeException.class);

        RpcService other = system.localServiceBuilder(new Configuration()).createAndStart();
        try {
            CounterGateway viaOther =
                    get(other.connect(counter.getAddress(), CounterGateway.class));
            viaOther.add(4);
            assertThat(get(viaOther.total())).isEqualTo(4);
        } finally {
            get(other.closeAsync());
        }
    }

    @Test
    void closingTheServiceTerminatesItsEndpoints() throws Exception {
        Counter a = new Counter(service, "a");
        Counter b = new Counter(service, "b");
        a.start();

        get(service.closeAsync());

        assertThat(a.getTerminationFuture()).isDone();
        assertThat(b.getTerminationFuture()).isDone();
        assertThat(a.log).containsExactly("onStop");
        assertThat(b.log).containsExactly("onStop");
    }
}
