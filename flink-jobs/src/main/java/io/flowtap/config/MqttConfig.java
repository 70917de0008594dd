package io.flowtap.config;

/**
 * {@code netify-sink-mqtt.json}: one broker for every MQTT channel; each channel publishes to the
 * topic template with {@code ${channel}} set to its name.
 */
public record MqttConfig(
        String host, int port, String user, String pass, String topic, int qos, boolean retain) {
    @Override
    public String toString() {
        // Never the password.
        return "MqttConfig[" + host + ":" + port + ", user " + user + ", topic " + topic + "]";
    }
}
