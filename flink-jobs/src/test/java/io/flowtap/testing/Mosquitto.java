package io.flowtap.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Mosquitto MQTT broker from the system's packages, as a child process on a loopback port, with
 * persistence so that a stop and start keep sessions and queued messages.
 */
public final class Mosquitto implements MqttBroker {
    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private Process process;

    private Mosquitto(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Whether the broker is installed ({@code apt-get install mosquitto}). */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public static Mosquitto start(Path dir) throws Exception {
        return start(dir, null);
    }

    /** A broker whose listener takes TLS only, when {@code certs} is not null. */
    public static Mosquitto start(Path dir, TestCertificates certs) throws Exception {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                String.join(
                        "\n",
                        "listener " + port + " 127.0.0.1",
                        "allow_anonymous true",
                        "persistence true",
                        "persistence_location " + dir + "/",
                        "max_queued_messages 100000",
                        certs == null ? "" : "cafile " + certs.caPem,
                        certs == null ? "" : "certfile " + certs.serverPem,
                        certs == null ? "" : "keyfile " + certs.serverKey,
                        // Started as root, mosquitto would drop to its own user, which cannot
                        // write its saved sessions into the test's directory.
                        "root".equals(System.getProperty("user.name")) ? "user root" : "",
                        ""));
        Mosquitto m = new Mosquitto(dir, port);
        m.resume();
        return m;
    }

    @Override
    public int port() {
        return port;
    }

    /** Stops the broker cleanly (it saves its sessions), as a restart of the server would. */
    @Override
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void resume() throws Exception {
        process =
                new ProcessBuilder(
                                BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("broker.log").toFile()))
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException(
                            "mosquitto did not start: "
                                    + Files.readString(dir.resolve("broker.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
