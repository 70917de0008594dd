package io.flowtap.rpc;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RpcOptions;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Flink's RPC within one JVM: a gateway is a proxy whose calls go to a queue drained by the
 * endpoint's own thread, as an actor's messages would, without Pekko's actor system. Starting Pekko
 * (its configuration, dispatchers and Scala runtime, and compiling them) is a large part of the
 * fixed cost of an embedded cluster, which a backfill pays on every run; its remoting is of no use
 * when the job manager and the task manager share the JVM. Local services only: remote ones
 * (clusters of several processes) are refused.
 */
public final class InProcessRpcSystem implements RpcSystem {
    static final String SCHEME = "inproc";

    @Override
    public RpcServiceBuilder localServiceBuilder(Configuration configuration) {
        return new Builder(configuration);
    }

    @Override
    public RpcServiceBuilder remoteServiceBuilder(
            Configuration configuration, String externalAddress, String externalPortRange) {
        throw new UnsupportedOperationException(
                "in-process RPC serves one JVM only; set "
                        + InProcessRpcOptions.IN_PROCESS.key()
                        + " to false for a cluster of several processes");
    }

    @Override
    public String getRpcUrl(
            String hostname,
            int port,
            String endpointName,
            AddressResolution addressResolution,
            Configuration config) {
        return SCHEME + "://" + hostname + ":" + port + "/" + endpointName;
    }

    @Override
    public InetSocketAddress getInetSocketAddressFromRpcUrl(String url) throws Exception {
        URI uri = new URI(url);
        if (!SCHEME.equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("no host and port in the RPC URL " + url);
        }
        return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort());
    }

    @Override
    public long getMaximumMessageSizeInBytes(Configuration config) {
        // Nothing is serialized; the limit still bounds what the metric query service answers.
        return MemorySize.parse(config.get(RpcOptions.FRAMESIZE)).getBytes();
    }

    private static final class Builder implements RpcServiceBuilder {
        private final Configuration configuration;
        private String componentName = "rpc";

        Builder(Configuration configuration) {
            this.configuration = configuration;
        }

        @Override
        public RpcServiceBuilder withComponentName(String name) {
            this.componentName = name;
            return this;
        }

        @Override
        public RpcServiceBuilder withBindAddress(String bindAddress) {
            return this; // nothing is bound
        }

        @Override
        public RpcServiceBuilder withBindPort(int bindPort) {
            return this;
        }

        @Override
        public RpcServiceBuilder withExecutorConfiguration(FixedThreadPoolExecutorConfiguration c) {
            return this; // each endpoint has a thread of its own
        }

        @Override
        public RpcServiceBuilder withExecutorConfiguration(ForkJoinExecutorConfiguration c) {
            return this;
        }

        @Override
        public RpcService createAndStart() {
            return new InProcessRpcService(
                    componentName, configuration.get(RpcOptions.ASK_TIMEOUT_DURATION));
        }
    }
}
