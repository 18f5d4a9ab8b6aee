package io.personalize.job.testing;

import io.personalize.job.config.ConfigLoader;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** A job configuration for tests: the job's defaults plus the given {@code key=value}s. */
public final class TestConfig {
    private TestConfig() {}

    /** As {@code --set key=value} would give them, over the job defaults (bounded restarts). */
    public static Configuration of(String... sets) {
        return ConfigLoader.withJobDefaults(ConfigLoader.load(null, Map.of(), List.of(sets)));
    }
}
