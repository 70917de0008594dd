package io.flowtap.kafka.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A Kafka broker on loopback: one KRaft node that is both controller and broker, in a child JVM,
 * with its data under a directory of its own. Starting formats the storage, launches the broker and
 * waits until it answers; closing stops it and, unless asked to keep it, deletes the data.
 */
public final class LocalKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
    private static final String CLASSPATH_RESOURCE = "broker.classpath";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final List<String> command;
    private volatile Process process;
    private final Thread shutdownHook;

    private LocalKafka(
            Path dir,
            boolean deleteOnClose,
            int brokerPort,
            List<String> command,
            Process process) {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        this.brokerPort = brokerPort;
        this.command = List.copyOf(command);
        this.process = process;
        this.shutdownHook = new Thread(() -> this.process.destroyForcibly(), "local-kafka-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a broker with its data in a new temporary directory, deleted on close. */
    public static LocalKafka start() throws IOException {
        return start(Files.createTempDirectory("flowtap-kafka"), true);
    }

    /**
     * Starts a broker with its data under {@code dir}.
     *
     * @param deleteOnClose whether closing deletes {@code dir}
     * @throws IOException when the broker cannot be formatted or started; the message ends with the
     *     tail of the broker's log
     */
    public static LocalKafka start(Path dir, boolean deleteOnClose) throws IOException {
        Files.createDirectories(dir);
        int brokerPort = freePort();
        int controllerPort = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(dir, brokerPort, controllerPort));
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(log4j, log4jProperties(dir));
        List<String> java = javaCommand(log4j);

        List<String> format = new ArrayList<>(java);
        format.addAll(
                List.of(
                        "kafka.tools.StorageTool",
                        "format",
                        "--standalone",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        config.toString()));
        Path formatLog = dir.resolve("format.log");
        Process f =
                new ProcessBuilder(format)
                        .redirectErrorStream(true)
                        .redirectOutput(formatLog.toFile())
                        .start();
        try {
            if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
                f.destroyForcibly();
                throw new IOException(
                        "formatting Kafka storage in " + dir + " failed: " + tail(formatLog));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.destroyForcibly();
            throw new IOException("interrupted while formatting Kafka storage", e);
        }

        List<String> run = new ArrayList<>(java);
        run.addAll(List.of("kafka.Kafka", config.toString()));
        LocalKafka kafka = new LocalKafka(dir, deleteOnClose, brokerPort, run, launch(run, dir));
        try {
            kafka.awaitReady();
        } catch (IOException | RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Kafka broker ready on {} (data in {})", kafka.bootstrapServers(), dir);
        return kafka;
    }

    private static Process launch(List<String> run, Path dir) throws IOException {
        return new ProcessBuilder(run)
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(dir.resolve("broker.out").toFile()))
                .start();
    }

    /**
     * Stops the broker cleanly, as a server shutdown would, keeping its data for {@link #restart}.
     */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the stopped (or killed) broker again on the same port with the same data. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        process = launch(command, dir);
        awaitReady();
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The broker's data and logs. */
    public Path directory() {
        return dir;
    }

    /** Creates topics (one replica each) that do not exist yet. */
    public void createTopics(Map<String, Integer> partitionsByTopic) throws IOException {
        try (Admin admin = admin()) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> topics = new ArrayList<>();
            partitionsByTopic.forEach(
                    (name, partitions) -> {
                        if (!existing.contains(name)) {
                            topics.add(new NewTopic(name, partitions, (short) 1));
                        }
                    });
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot create topics " + partitionsByTopic.keySet(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating topics", e);
        }
    }

    /** Whether the broker process is running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the broker process at once, as a crash would, keeping its directory until {@link
     * #close()}.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run.
        }
        if (deleteOnClose) {
            deleteTree(dir);
        }
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(props);
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException(
                            "the Kafka broker exited with "
                                    + process.exitValue()
                                    + ": "
                                    + tail(dir.resolve("broker.out")));
                }
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // Not listening yet.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for Kafka", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            "the Kafka broker did not answer within "
                                    + READY_TIMEOUT.toSeconds()
                                    + " s: "
                                    + tail(dir.resolve("broker.out")));
                }
                sleep(200);
            }
        }
    }

    static String serverProperties(Path dir, int brokerPort, int controllerPort) {
        String controller = "127.0.0.1:" + controllerPort;
        return String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.bootstrap.servers=" + controller,
                        "listeners=PLAINTEXT://127.0.0.1:"
                                + brokerPort
                                + ",CONTROLLER://"
                                + controller,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                        "log.dirs=" + dir.resolve("data"),
                        "num.partitions=4",
                        "auto.create.topics.enable=false",
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=4",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "transaction.state.log.num.partitions=4",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        // Flink's transactional producers default to a one-hour transaction
                        // timeout.
                        "transaction.max.timeout.ms=3600000",
                        "log.segment.bytes=67108864",
                        // Telemetry records carry their packets' capture time: with the default
                        // of 7 days, the broker would delete what a replay of an older capture
                        // writes within its first retention check (30 s after start).
                        "log.retention.ms=-1",
                        "")
                .replace("\\", "/");
    }

    private static String log4jProperties(Path dir) {
        return String.join(
                "\n",
                "rootLogger.level = WARN",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + dir.resolve("broker.log"),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d %-5p %c - %m%n",
                "");
    }

    private static List<String> javaCommand(Path log4j) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ArrayList<>(
                List.of(
                        java,
                        "-Xms256m",
                        "-Xmx768m",
                        "-XX:+UseG1GC",
                        "-Djava.awt.headless=true",
                        "-Dlog4j2.configurationFile=" + log4j,
                        "-cp",
                        brokerClasspath()));
    }

    /** The broker's jars, as written at build time. */
    static String brokerClasspath() throws IOException {
        try (InputStream in = LocalKafka.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IOException(
                        "no " + CLASSPATH_RESOURCE + " resource: build the project with Maven");
            }
            String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            for (String jar : cp.split(java.io.File.pathSeparator)) {
                if (!Files.exists(Path.of(jar))) {
                    throw new IOException(
                            "the Kafka broker's jar "
                                    + jar
                                    + " is missing: rebuild the project with Maven");
                }
            }
            return cp;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "(no output)";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", root, e.toString());
        }
    }
}
