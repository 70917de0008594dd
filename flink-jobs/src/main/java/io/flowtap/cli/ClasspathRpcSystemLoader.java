package io.flowtap.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

/**
 * Loads Flink's Pekko RPC system from the class path when {@code bin/flowtap} puts it there ({@code
 * lib/flink-rpc-akka.jar}, unpacked from {@code flink-rpc-akka-loader} at build time).
 *
 * <p>Flink's own loader copies that 21 MB jar into the temporary directory on every start and loads
 * it through a class loader of its own: the copy outlives any JVM that ends without closing its RPC
 * system, and classes of a private loader are not in the class-data archive, so each embedded
 * cluster loaded and verified Pekko and Scala anew. The command line controls its whole class path
 * (no Scala of its own), so the isolation buys nothing here. Without the jar on the class path
 * (tests, a job jar on a cluster) this loader declines and Flink's takes over.
 */
public final class ClasspathRpcSystemLoader implements RpcSystemLoader {
    static final String PEKKO_RPC_SYSTEM = "org.apache.flink.runtime.rpc.pekko.PekkoRpcSystem";

    private final ClassLoader loader;

    public ClasspathRpcSystemLoader() {
        this(ClasspathRpcSystemLoader.class.getClassLoader());
    }

    /** Looks in the given loader instead of this class's own (tests). */
    ClasspathRpcSystemLoader(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public int getLoadPriority() {
        return -1; // before Flink's loader, whose priority is 0
    }

    @Override
    public RpcSystem loadRpcSystem(Configuration config) {
        try {
            Class<?> system = Class.forName(PEKKO_RPC_SYSTEM, true, loader);
            return (RpcSystem) system.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new RpcLoaderException(
                    "Pekko RPC system not on the class path; Flink's loader will extract it", e);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new RpcLoaderException("Pekko RPC system on the class path did not load", e);
        }
    }
}
