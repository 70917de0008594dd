package io.flowtap.config;

/** A channel of {@code netify-sink-log.json}, with its settings resolved and variables expanded. */
public record LogChannel(String name, String logPath, String logName, boolean overwrite) {}
