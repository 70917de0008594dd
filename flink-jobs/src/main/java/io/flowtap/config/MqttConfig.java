package io.flowtap.config;

/**
 * {@code netify-sink-mqtt.json}: one broker for every MQTT channel; each channel publishes to the
 * topic template with {@code ${channel}} set to its name.
 *
 * @param tls TLS settings from {@code flowtap.json}'s {@code mqtt_tls}, or null for plain TCP
 */
public record MqttConfig(
        String host,
        int port,
        String user,
        String pass,
        String topic,
        int qos,
        boolean retain,
        Tls tls) {

    /**
     * @param caFile PEM certificate authorities, or null for the JVM's trust store
     * @param verifyHostname check that the certificate names the host
     */
    public record Tls(String caFile, boolean verifyHostname) {}

    @Override
    public String toString() {
        // Never the password.
        return "MqttConfig["
                + host
                + ":"
                + port
                + (tls == null ? "" : " (TLS)")
                + ", user "
                + user
                + ", topic "
                + topic
                + "]";
    }
}
