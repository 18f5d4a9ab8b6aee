package io.personalize.job.cli;

import io.personalize.job.bench.BenchRunner;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code personalize bench}: throughput and latency of the full pipeline next to a bare one. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Measure the full pipeline and a bare one (source, parse, keyBy, discard) on the"
                        + " same in-memory events, then the full one paced on the history"
                        + " compressed in time, with the latency from an event's read to its"
                        + " decision, each with its CPU by task; or, with --live, the full one"
                        + " paced in real time; prints key=value lines.")
public final class BenchCommand implements Callable<Integer> {
    @Option(
            names = "--events",
            defaultValue = "1000000",
            description = "Events per measured run (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description =
                    "Events per second of the paced run (or of the live one) that measures"
                            + " event-to-decision latency (default: half of the full pipeline's"
                            + " measured maximum; -1 skips the paced run).")
    double rate;

    @Option(
            names = "--live",
            description =
                    "Run the full pipeline live instead: each event dated when the source emits"
                            + " it, at --rate, with cart waits of seconds; measures the latency from"
                            + " an event's emission to its decision reaching the sink and how late"
                            + " abandonment triggers are.")
    boolean live;

    @Option(
            names = "--only",
            paramLabel = "RUN",
            description =
                    "Measure one run only, after the warm-up: bare, full_discarding, full,"
                            + " paced_compressed or event_time_order (paced_compressed needs"
                            + " --rate); for profiling one of them.")
    String only;

    @Option(
            names = "--models",
            paramLabel = "PATH",
            description =
                    "Measure these models instead of the shipped ones: a model registry file, or a"
                            + " folder holding registry.yaml (the models and cards it names are"
                            + " read relative to it). Refused when a model would be refused by the"
                            + " job.")
    java.nio.file.Path models;

    @Mixin ConfigMixin config;

    @Override
    public Integer call() throws Exception {
        org.apache.flink.configuration.Configuration conf =
                config.load(List.of("parallelism.default=2"));
        if (models != null) {
            java.nio.file.Path registry = registry(models);
            conf.set(
                    io.personalize.job.config.PersonalizeOptions.MODELS_REGISTRY,
                    registry.toString());
            System.out.println("# models: " + registry);
        }
        BenchRunner runner = new BenchRunner(System.out, conf);
        if (live) {
            if (only != null) {
                throw new IllegalArgumentException("--live and --only do not go together");
            }
            runner.runLive(events, rate);
        } else {
            runner.run(events, rate, only);
        }
        return 0;
    }

    /**
     * The registry file {@code --models} names, checked as the scoring stage would load it.
     *
     * @throws io.personalize.job.config.ConfigException naming what is wrong
     */
    static java.nio.file.Path registry(java.nio.file.Path given) {
        java.nio.file.Path registry =
                java.nio.file.Files.isDirectory(given) ? given.resolve("registry.yaml") : given;
        registry = registry.toAbsolutePath().normalize();
        if (!java.nio.file.Files.isRegularFile(registry)) {
            throw new io.personalize.job.config.ConfigException(
                    "--models: no model registry at " + registry);
        }
        io.personalize.models.ModelRegistryUpdate update =
                io.personalize.models.ModelRegistryUpdate.read(
                        registry, System.currentTimeMillis());
        List<String> refused;
        try (io.personalize.models.ServingModels serving =
                new io.personalize.models.ServingModels(1)) {
            refused =
                    update.error != null
                            ? List.of(update.error)
                            : new java.util.ArrayList<>(serving.apply(update));
        }
        if (!refused.isEmpty()) {
            throw new io.personalize.job.config.ConfigException(
                    "--models: " + registry + " would not serve: " + String.join("; ", refused));
        }
        return registry;
    }
}
