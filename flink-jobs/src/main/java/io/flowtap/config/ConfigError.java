package io.flowtap.config;

/**
 * One mistake in a configuration directory: the file, the JSON path in it ({@code $} for the whole
 * document), and what is wrong, ending with the rule broken.
 */
public record ConfigError(String file, String path, String message) {
    @Override
    public String toString() {
        return file + ": " + path + ": " + message;
    }
}
