package io.personalize.job.cli;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.PipelineInput;
import io.personalize.job.config.ConfigException;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.KafkaSettings;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sinks.KafkaDecisionSink;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.sources.KafkaInputs;
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
 *
 * <p>The input is {@code personalize.input.source}: files, a Kafka topic, or history files then the
 * topic. Decisions go to the Iceberg table and, with {@code personalize.kafka.decisions-topic}, to
 * Kafka too.
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
        JobSettings settings =
                JobSettings.from(conf, System.getenv(PersonalDataScrubber.SECRET_ENV));
        KafkaSettings kafka = KafkaSettings.from(conf);
        CatalogSettings catalog = JobSettings.catalog(conf, null);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        PersonalizationPipeline.Streams streams =
                PersonalizationPipeline.build(
                        List.of(input(env, conf, kafka)),
                        new IcebergPipelineSinks(catalog, settings),
                        settings);
        if (kafka.writesDecisions()) {
            KafkaDecisionSink.attach(streams.decisions(), kafka);
        }
        env.execute("personalize");
        return 0;
    }

    /** The input that {@code personalize.input.source} names. */
    static PipelineInput input(
            StreamExecutionEnvironment env, Configuration conf, KafkaSettings kafka) {
        InputFormat format = InputFormat.fromCliName(conf.get(PersonalizeOptions.INPUT_FORMAT));
        String source = conf.get(PersonalizeOptions.INPUT_SOURCE);
        return switch (source) {
            case "files" ->
                    FileInputs.of(
                            env,
                            Path.of(inputPath(conf, "a file or directory of events")),
                            format,
                            conf.get(PersonalizeOptions.INPUT_MONITOR_INTERVAL));
            case "kafka" -> KafkaInputs.of(env, kafka.requireEventsSource(), format);
            case "history-then-kafka" ->
                    KafkaInputs.historyThenKafka(
                            env,
                            Path.of(inputPath(conf, "the history: a file or directory of events")),
                            kafka.requireEventsSource(),
                            format);
            default ->
                    throw new ConfigException(
                            "personalize.input.source: '"
                                    + source
                                    + "' is not files, kafka or history-then-kafka");
        };
    }

    private static String inputPath(Configuration conf, String what) {
        String path = conf.get(PersonalizeOptions.INPUT_PATH);
        if (path == null) {
            throw new ConfigException("set personalize.input.path (" + what + ")");
        }
        return path;
    }
}
