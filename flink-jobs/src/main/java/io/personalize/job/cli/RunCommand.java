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
import io.personalize.job.demo.RunSummary;
import io.personalize.job.erasure.Erasures;
import io.personalize.job.recovery.RunStart;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sinks.KafkaDecisionSink;
import io.personalize.job.sources.EventTimeOrder;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.sources.KafkaInputs;
import io.personalize.tables.CatalogSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(
            names = "--fresh",
            description =
                    "Start over instead of resuming from the newest retained checkpoint; refused"
                            + " when the tables already hold the job's rows, unless --overwrite.")
    boolean fresh;

    @Option(names = "--overwrite", description = "With --fresh: drop the job's tables first.")
    boolean overwrite;

    @Option(
            names = "--from",
            paramLabel = "PATH",
            description = "Resume from this checkpoint (chk-N folder) or savepoint.")
    String from;

    @Override
    public Integer call() throws Exception {
        Configuration user = config.load(List.of());
        boolean local = PersonalizeCli.runsLocally();
        Configuration conf =
                local ? ConfigLoader.withLocalDefaults(user) : ConfigLoader.withJobDefaults(user);
        if (local && !user.containsKey(ConfigLoader.CHECKPOINT_DIR)) {
            conf.setString(ConfigLoader.CHECKPOINT_DIR, stateCheckpointDir(conf));
        }
        JobSettings settings =
                JobSettings.from(conf, System.getenv(PersonalDataScrubber.SECRET_ENV));
        KafkaSettings kafka = KafkaSettings.from(conf);
        CatalogSettings catalog = JobSettings.catalog(conf, null);
        if (local) {
            // On a cluster the Flink Kubernetes Operator restores the job (upgradeMode).
            RunStart.Request request = new RunStart.Request(fresh, overwrite, from);
            withCatalog(catalog, () -> RunStart.prepare(request, conf, catalog, System.out));
        } else if (fresh || overwrite || from != null) {
            throw new ConfigException(
                    "--fresh, --overwrite and --from apply to a local run; on a cluster the"
                            + " Flink Kubernetes Operator decides where the job resumes");
        }

        Path ordered = orderedHistory(conf, settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        PersonalizationPipeline.Streams streams =
                PersonalizationPipeline.build(
                        List.of(input(env, conf, kafka, ordered)),
                        withCatalog(catalog, () -> new IcebergPipelineSinks(catalog, settings)),
                        settings);
        if (kafka.writesDecisions()) {
            KafkaDecisionSink.attach(streams.live().orElseThrow().decisions(), kafka);
        }
        long started = System.nanoTime();
        JobExecutionResult result = env.execute("personalize");
        if (!result.isJobExecutionResult()) {
            // Submitted detached (a session cluster's REST API runs this main that way): the job
            // runs on; there is no result to read nor a bounded run to complete here.
            return 0;
        }
        if (ordered != null) {
            EventTimeOrder.remove(ordered); // the run is complete: no resume needs it
        }
        // what a bounded run could not finish before its last commit
        withCatalog(
                catalog,
                () ->
                        Erasures.completeAfterRun(
                                result, catalog, settings.hashSecret(), System.out));
        if (local) {
            RunSummary.print(
                    System.out,
                    (System.nanoTime() - started) / 1e9,
                    result.getAllAccumulatorResults(),
                    catalog);
        }
        return 0;
    }

    /**
     * Runs something that opens the catalog; a catalog or warehouse that cannot be reached or
     * written is one line naming it, not a stack trace.
     */
    private static <T> T withCatalog(CatalogSettings catalog, Supplier<T> action) {
        try {
            return action.get();
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new ConfigException(
                    "cannot open the tables in catalog "
                            + catalog.uri()
                            + " (warehouse "
                            + catalog.warehouse()
                            + "): "
                            + root.getMessage());
        }
    }

    /** {@code <personalize.state.dir>/checkpoints} as a URI. */
    private static String stateCheckpointDir(Configuration conf) {
        String stateDir = conf.get(PersonalizeOptions.STATE_DIR);
        URI uri = URI.create(stateDir);
        if (uri.getScheme() == null || uri.getScheme().length() == 1) {
            return Path.of(stateDir).toAbsolutePath().resolve("checkpoints").toUri().toString();
        }
        return stateDir.replaceAll("/+$", "") + "/checkpoints";
    }

    /**
     * With {@code personalize.input.order: event-time} and a bounded history (files without a
     * monitor interval, or the files of history-then-kafka): its time-ordered copy, written by a
     * batch job first unless a complete one is there ({@link EventTimeOrder}); else {@code null}.
     */
    static Path orderedHistory(Configuration conf, JobSettings settings) throws Exception {
        String source = conf.get(PersonalizeOptions.INPUT_SOURCE);
        boolean bounded =
                ("files".equals(source)
                                && conf.get(PersonalizeOptions.INPUT_MONITOR_INTERVAL) == null)
                        || "history-then-kafka".equals(source);
        if (!bounded || !JobSettings.ordersBoundedInput(conf)) {
            return null;
        }
        InputFormat format = InputFormat.fromCliName(conf.get(PersonalizeOptions.INPUT_FORMAT));
        Path input = Path.of(inputPath(conf, "a file or directory of events"));
        if (!java.nio.file.Files.exists(input)) {
            throw new ConfigException("personalize.input.path: " + input + " does not exist");
        }
        return EventTimeOrder.prepare(
                conf,
                input,
                format.cliName(),
                settings.intake(format),
                conf.get(PersonalizeOptions.MAX_EVENT_BYTES),
                localStateDir(conf).resolve("history-order"),
                System.out);
    }

    /** {@code personalize.state.dir} as a local folder (the time-ordered copy is written there). */
    private static Path localStateDir(Configuration conf) {
        String stateDir = conf.get(PersonalizeOptions.STATE_DIR);
        URI uri = URI.create(stateDir);
        if (uri.getScheme() == null || uri.getScheme().length() == 1) {
            return Path.of(stateDir).toAbsolutePath();
        }
        if ("file".equals(uri.getScheme())) {
            return Path.of(uri);
        }
        throw new ConfigException(
                "personalize.input.order: event-time writes the input's time-ordered copy under"
                        + " personalize.state.dir, which must then be a folder path (input files are"
                        + " read from a path too), not "
                        + stateDir
                        + "; or set personalize.input.order: as-read");
    }

    /** The input that {@code personalize.input.source} names. */
    static PipelineInput input(
            StreamExecutionEnvironment env, Configuration conf, KafkaSettings kafka) {
        return input(env, conf, kafka, null);
    }

    /**
     * @param ordered the bounded history's time-ordered copy ({@link #orderedHistory}), or {@code
     *     null}
     */
    static PipelineInput input(
            StreamExecutionEnvironment env, Configuration conf, KafkaSettings kafka, Path ordered) {
        InputFormat format = InputFormat.fromCliName(conf.get(PersonalizeOptions.INPUT_FORMAT));
        String source = conf.get(PersonalizeOptions.INPUT_SOURCE);
        return switch (source) {
            case "files" -> {
                Path path = Path.of(inputPath(conf, "a file or directory of events"));
                yield ordered != null
                        ? FileInputs.ordered(env, path, ordered, format)
                        : FileInputs.of(
                                env,
                                path,
                                format,
                                conf.get(PersonalizeOptions.INPUT_MONITOR_INTERVAL));
            }
            case "kafka" -> KafkaInputs.of(env, kafka.requireEventsSource(), format);
            case "history-then-kafka" ->
                    KafkaInputs.historyThenKafka(
                            env,
                            Path.of(inputPath(conf, "the history: a file or directory of events")),
                            ordered,
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
