package io.personalize.job.config;

/** A configuration problem, with a message meant for the person who wrote the configuration. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
