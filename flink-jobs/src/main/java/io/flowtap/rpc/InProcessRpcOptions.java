package io.flowtap.rpc;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of {@link InProcessRpcSystem}. */
public final class InProcessRpcOptions {
    /**
     * Whether an embedded cluster built with this configuration talks within its JVM (method calls
     * handed to each endpoint's thread) instead of through Pekko actors. For one-JVM clusters only:
     * a cluster of several task managers, or one that other processes must reach, needs Pekko.
     */
    public static final ConfigOption<Boolean> IN_PROCESS =
            ConfigOptions.key("flowtap.rpc.in-process")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Whether the embedded cluster's RPC stays within the JVM instead of"
                                    + " going through Pekko actors (one-JVM clusters only).");

    private InProcessRpcOptions() {}
}
