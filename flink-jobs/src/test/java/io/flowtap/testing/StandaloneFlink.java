package io.flowtap.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Flink session cluster for tests: a JobManager and a TaskManager, each in a JVM of
 * its own started from the test's class path minus Flowtap and the libraries a job brings itself,
 * which is what a Flink distribution's lib directory holds. Jobs reach it through its REST port.
 */
public final class StandaloneFlink implements AutoCloseable {
    /** Artifacts a Flink distribution does not have: jobs ship them. */
    private static final Set<String> NOT_ON_THE_CLUSTER =
            Set.of(
                    "flowtap-",
                    "flink-connector-kafka-",
                    "flink-avro-",
                    "kafka-clients-",
                    "avro-",
                    "parquet-",
                    "zstd-jni-",
                    "pcap4j-",
                    "jna-",
                    "duckdb_jdbc-",
                    "json-schema-validator-",
                    "testcontainers",
                    "docker-java",
                    "awaitility-",
                    "jazzer");

    private final List<Process> processes = new ArrayList<>();
    private final int restPort;
    private final Path dir;

    private StandaloneFlink(Path dir, int restPort) {
        this.dir = dir;
        this.restPort = restPort;
    }

    /** The class path of the cluster's JVMs: the test's, without what jobs bring. */
    public static List<String> clusterClasspath() {
        List<String> out = new ArrayList<>();
        for (String entry : testClasspath()) {
            String name = new File(entry).getName();
            if (!entry.endsWith(".jar") || NOT_ON_THE_CLUSTER.stream().anyMatch(name::startsWith)) {
                continue;
            }
            out.add(entry);
        }
        return out;
    }

    public static List<String> testClasspath() {
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator));
    }

    public static StandaloneFlink start(Path dir, int slots) throws Exception {
        Files.createDirectories(dir);
        int rest = freePort();
        StandaloneFlink flink = new StandaloneFlink(dir, rest);
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(
                conf.resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: 127.0.0.1",
                        "jobmanager.rpc.port: " + freePort(),
                        "jobmanager.bind-host: 127.0.0.1",
                        "jobmanager.memory.process.size: 1024m",
                        "rest.address: 127.0.0.1",
                        "rest.bind-address: 127.0.0.1",
                        "rest.port: " + rest,
                        "blob.server.port: " + freePort(),
                        "taskmanager.host: 127.0.0.1",
                        "taskmanager.bind-host: 127.0.0.1",
                        "taskmanager.numberOfTaskSlots: " + slots,
                        "taskmanager.memory.process.size: 1600m",
                        "taskmanager.cpu.cores: " + slots,
                        "parallelism.default: " + slots,
                        "io.tmp.dirs: " + dir.resolve("tmp"),
                        ""));
        Files.createDirectories(dir.resolve("tmp"));
        String cp = String.join(File.pathSeparator, clusterClasspath());
        try {
            flink.launch(
                    cp,
                    List.of("-Xmx512m"),
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    List.of("--configDir", conf.toString()),
                    "jobmanager");
            List<String> resources = taskManagerResources(cp, conf);
            List<String> jvm = new ArrayList<>();
            List<String> dynamic = new ArrayList<>();
            for (String token : resources.get(0).trim().split("\\s+")) {
                jvm.add(token);
            }
            String[] d = resources.get(1).trim().split("\\s+");
            for (String token : d) {
                dynamic.add(token);
            }
            List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
            args.addAll(dynamic);
            flink.launch(
                    cp,
                    jvm,
                    "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    args,
                    "taskmanager");
            flink.awaitTaskManager();
            return flink;
        } catch (Exception | Error e) {
            flink.close();
            throw e;
        }
    }

    public int restPort() {
        return restPort;
    }

    public String restAddress() {
        return "127.0.0.1:" + restPort;
    }

    /** The JVM options and dynamic properties Flink's scripts compute for a TaskManager. */
    private static List<String> taskManagerResources(String cp, Path conf) throws Exception {
        Process p =
                new ProcessBuilder(
                                java(),
                                "-cp",
                                cp,
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                "GET_TM_RESOURCE_PARAMS",
                                "--configDir",
                                conf.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        List<String> results = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                results.add(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()));
            }
        }
        if (results.size() < 2) {
            throw new IOException("cannot compute TaskManager resources: " + out);
        }
        return results.subList(results.size() - 2, results.size());
    }

    private void launch(String cp, List<String> jvm, String main, List<String> args, String name)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvm);
        cmd.addAll(Opens.LIST);
        cmd.add("-Dlog.file=" + dir.resolve(name + ".log"));
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(main);
        cmd.addAll(args);
        processes.add(
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(name + ".out").toFile())
                        .start());
    }

    /** The cluster's {@code /jobs/overview}: every job it ran, with its name and state. */
    public String jobsOverview() throws Exception {
        return get("/jobs/overview");
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private void awaitTaskManager() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IOException("a cluster process died; see " + dir);
                }
            }
            try {
                String body = get("/overview");
                if (body.contains("\"taskmanagers\":1")) {
                    return;
                }
            } catch (IOException notYet) {
                // The REST endpoint is not up yet.
            }
            Thread.sleep(500);
        }
        throw new IOException("the cluster did not come up in 120 s; see " + dir);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    /** Flink on Java 17 needs these packages opened, as Flink's own scripts do. */
    static final class Opens {
        static final List<String> LIST =
                List.of(
                        "--add-opens=java.base/java.lang=ALL-UNNAMED",
                        "--add-opens=java.base/java.util=ALL-UNNAMED",
                        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                        "--add-opens=java.base/java.io=ALL-UNNAMED",
                        "--add-opens=java.base/java.nio=ALL-UNNAMED",
                        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                        "--add-opens=java.base/java.net=ALL-UNNAMED",
                        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                        "--add-opens=java.base/java.time=ALL-UNNAMED",
                        "--add-opens=java.base/java.text=ALL-UNNAMED",
                        "--add-opens=java.sql/java.sql=ALL-UNNAMED");

        private Opens() {}
    }
}
