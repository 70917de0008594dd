package io.flowtap.testing;

import java.nio.file.Path;

/**
 * A real MQTT 3.1.1 broker on a loopback port for tests: Mosquitto from the system's packages when
 * installed, otherwise Moquette in this JVM. Either keeps sessions across a stop and a resume.
 */
public interface MqttBroker extends AutoCloseable {
    /**
     * Starts Mosquitto, or Moquette where Mosquitto is not installed or the system property {@code
     * flowtap.mqtt-broker} is {@code moquette}.
     */
    static MqttBroker start(Path dir) throws Exception {
        if (Mosquitto.available()
                && !"moquette".equals(System.getProperty("flowtap.mqtt-broker"))) {
            return Mosquitto.start(dir);
        }
        System.err.println(
                "MQTT tests use the in-JVM Moquette broker: mosquitto is not installed"
                        + " (apt-get install mosquitto) or flowtap.mqtt-broker=moquette");
        return Moquette.start(dir);
    }

    /**
     * A broker that accepts only TLS connections, with the server certificate of {@code certs}:
     * Mosquitto, or Moquette under the same conditions as {@link #start}.
     */
    static MqttBroker startTls(Path dir, TestCertificates certs) throws Exception {
        if (Mosquitto.available()
                && !"moquette".equals(System.getProperty("flowtap.mqtt-broker"))) {
            return Mosquitto.start(dir, certs);
        }
        return Moquette.start(dir, certs);
    }

    int port();

    /** Stops the broker as a server shutdown would; it saves its sessions. */
    void stop() throws Exception;

    /** Starts it again on the same port with the sessions it saved. */
    void resume() throws Exception;
}
