package io.personalize.job.cli;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.config.ConfigException;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.tables.CatalogSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs the job against the configured sources and sinks. Launched with {@code java -jar} it runs in
 * a local MiniCluster; submitted to a Flink cluster (or by the Kubernetes operator) it runs there.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the job against real sources and sinks (see --config).")
public final class RunCommand implements Callable<Integer> {
    @Mixin ConfigMixin config;

    @Override
    public Integer call() throws Exception {
        Configuration conf = ConfigLoader.withJobDefaults(config.load(List.of()));
        String input = conf.get(PersonalizeOptions.INPUT_PATH);
        if (input == null) {
            throw new ConfigException("set personalize.input.path (a file or directory of events)");
        }
        JobSettings settings =
                JobSettings.from(conf, System.getenv(PersonalDataScrubber.SECRET_ENV));
        CatalogSettings catalog = JobSettings.catalog(conf, null);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        PersonalizationPipeline.build(
                List.of(
                        FileInputs.of(
                                env,
                                Path.of(input),
                                InputFormat.fromCliName(conf.get(PersonalizeOptions.INPUT_FORMAT)),
                                conf.get(PersonalizeOptions.INPUT_MONITOR_INTERVAL))),
                new IcebergPipelineSinks(catalog, settings),
                settings);
        env.execute("personalize");
        return 0;
    }
}
