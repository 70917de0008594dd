package io.flowtap.config;

/** A channel of {@code netify-sink-socket.json}: its bind address, variables expanded. */
public record SocketChannelConfig(String name, String bindAddress) {}
