package io.personalize.job.cli;

import io.personalize.job.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --set}, shared by the commands that run the job. */
public class ConfigMixin {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Any option (e.g. personalize.dedup.horizon=2h); wins over the file and"
                            + " PERSONALIZE_PROPERTIES. Repeatable.")
    List<String> sets = new ArrayList<>();

    /** The configuration: defaults < file < PERSONALIZE_PROPERTIES < --set. */
    public Configuration load(List<String> commandDefaults) {
        // A command's own defaults (e.g. the demo's short checkpoint interval) sit below the file,
        // the environment and --set.
        Configuration base = ConfigLoader.load(null, Map.of(), commandDefaults);
        Configuration user = ConfigLoader.load(config, System.getenv(), sets);
        base.addAll(user);
        return base;
    }
}
