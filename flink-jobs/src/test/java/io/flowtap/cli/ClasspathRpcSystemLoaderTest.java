package io.flowtap.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClasspathRpcSystemLoaderTest {
    @TempDir Path tmp;

    /** As bin/flowtap runs: the RPC system's jar among the class path's jars. */
    @Test
    void loadsAWorkingRpcSystemFromTheClassPathWithoutExtractingIt() throws Exception {
        Path jar = tmp.resolve("lib/flink-rpc-akka.jar");
        Files.createDirectories(jar.getParent());
        try (InputStream in =
                RpcSystem.class.getClassLoader().getResourceAsStream("flink-rpc-akka.jar")) {
            assertThat(in).as("flink-rpc-akka-loader on the test class path").isNotNull();
            Files.copy(in, jar);
        }
        Path scratch = Files.createDirectories(tmp.resolve("io-tmp"));
        Configuration config = new Configuration();
        config.set(CoreOptions.TMP_DIRS, scratch.toString());

        try (URLClassLoader classPath =
                new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            RpcSystem system = new ClasspathRpcSystemLoader(classPath).loadRpcSystem(config);

            assertThat(system.getClass().getName())
                    .isEqualTo(ClasspathRpcSystemLoader.PEKKO_RPC_SYSTEM);
            assertThat(system.getClass().getClassLoader()).isSameAs(classPath);
            RpcService service = system.localServiceBuilder(config).createAndStart();
            try {
                CompletableFuture<String> ran = new CompletableFuture<>();
                service.getScheduledExecutor()
                        .schedule(() -> ran.complete("ran"), 1, TimeUnit.MILLISECONDS);
                assertThat(ran.get(30, TimeUnit.SECONDS)).isEqualTo("ran");
            } finally {
                service.closeAsync().get(30, TimeUnit.SECONDS);
                system.close();
            }
        }
        try (var left = Files.list(scratch)) {
            assertThat(left).as("nothing extracted").isEmpty();
        }
    }

    /** As in tests and inside a job jar: Flink's own loader takes over. */
    @Test
    void declinesWhenTheRpcSystemIsNotOnTheClassPath() throws Exception {
        Configuration config = new Configuration();
        config.set(CoreOptions.TMP_DIRS, tmp.toString());

        assertThatThrownBy(() -> new ClasspathRpcSystemLoader().loadRpcSystem(config))
                .isInstanceOf(RpcLoaderException.class)
                .hasMessageContaining("not on the class path");

        RpcSystem fallback = RpcSystem.load(config);
        try {
            assertThat(fallback.getClass().getName())
                    .isNotEqualTo(ClasspathRpcSystemLoader.PEKKO_RPC_SYSTEM);
            RpcService service = fallback.localServiceBuilder(config).createAndStart();
            service.closeAsync().get(30, TimeUnit.SECONDS);
        } finally {
            fallback.close();
        }
    }
}
