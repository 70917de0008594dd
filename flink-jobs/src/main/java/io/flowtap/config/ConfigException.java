package io.flowtap.config;

import java.util.List;

/** A configuration that cannot be used, with every mistake found in it. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.size() + " error(s) in the configuration, first: " + errors.get(0));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
