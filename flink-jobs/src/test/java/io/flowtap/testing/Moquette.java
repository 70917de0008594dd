package io.flowtap.testing;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The Moquette MQTT broker in this JVM, with its sessions persisted under a directory. */
public final class Moquette implements MqttBroker {
    private final Properties properties = new Properties();
    private final int port;
    private Server server;

    private Moquette(Path dir, int port) {
        this.port = port;
        properties.setProperty("host", "127.0.0.1");
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("websocket_port", "disabled");
        properties.setProperty("allow_anonymous", "true");
        // MQTT 3.1.1 lets a clean-session client leave its identifier empty.
        properties.setProperty("allow_zero_byte_client_id", "true");
        properties.setProperty("persistence_enabled", "true");
        properties.setProperty("data_path", dir.toAbsolutePath() + "/");
        properties.setProperty("telemetry_enabled", "false");
        properties.setProperty("session_queue_size", "65536");
    }

    public static Moquette start(Path dir) throws IOException {
        return start(dir, null);
    }

    /** A broker that takes TLS connections only, when {@code certs} is not null. */
    public static Moquette start(Path dir, TestCertificates certs) throws IOException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Moquette m = new Moquette(dir, port);
        if (certs != null) {
            m.properties.setProperty("port", "disabled");
            m.properties.setProperty("ssl_port", Integer.toString(port));
            m.properties.setProperty("jks_path", certs.serverP12.toString());
            m.properties.setProperty("key_store_type", "pkcs12");
            m.properties.setProperty("key_store_password", TestCertificates.PASSWORD);
            m.properties.setProperty("key_manager_password", TestCertificates.PASSWORD);
        }
        m.resume();
        return m;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }

    @Override
    public void resume() throws IOException {
        server = new Server();
        server.startServer(new MemoryConfig(properties));
    }

    @Override
    public void close() {
        stop();
    }
}
