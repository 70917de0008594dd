package io.flowtap.rpc;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

/**
 * Offers {@link InProcessRpcSystem} to Flink's {@link RpcSystem#load} when the configuration asks
 * for it ({@link InProcessRpcOptions#IN_PROCESS}); otherwise declines, and Flink's Pekko system is
 * loaded as before.
 */
public final class InProcessRpcSystemLoader implements RpcSystemLoader {
    @Override
    public int getLoadPriority() {
        return -2; // before the class-path Pekko loader (-1) and Flink's own (0)
    }

    @Override
    public RpcSystem loadRpcSystem(Configuration config) {
        if (!config.get(InProcessRpcOptions.IN_PROCESS)) {
            throw new RpcLoaderException(
                    InProcessRpcOptions.IN_PROCESS.key() + " is false: Pekko RPC is used");
        }
        return new InProcessRpcSystem();
    }
}
