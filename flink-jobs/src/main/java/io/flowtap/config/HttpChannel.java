package io.flowtap.config;

import java.time.Duration;
import java.util.Map;

/**
 * A channel of {@code netify-sink-http.json}, with its settings resolved and variables expanded.
 */
public record HttpChannel(
        String name,
        String url,
        Map<String, String> headers,
        Duration connectTimeout,
        Duration transferTimeout) {}
