package io.personalize.job.cli;

import io.personalize.core.adapters.InputFormat;
import io.personalize.job.demo.DemoRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code personalize demo}: the whole job, locally, on bundled or generated data. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run the job in a local Flink MiniCluster on generated data (or --input) and write"
                        + " real Iceberg tables under --output.")
public final class DemoCommand implements Callable<Integer> {
    /** The demo's own defaults, below the configuration file and --set. */
    static final List<String> DEMO_DEFAULTS =
            List.of("personalize.checkpoint.interval=5 s", "parallelism.default=2");

    @Option(
            names = "--output",
            defaultValue = "demo-output",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(
            names = "--events",
            defaultValue = "200000",
            description = "Records to generate (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of the generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--input",
            paramLabel = "PATH",
            description = "Read this file or folder instead of generating data.")
    Path input;

    @Option(
            names = "--format",
            defaultValue = "envelope",
            description =
                    "Format of --input: envelope, clickstream-csv or retail-csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--keep-running",
            description =
                    "Keep the job, the Flink web UI (8081) and Prometheus metrics (9249) up,"
                            + " watching the input folder for new files.")
    boolean keepRunning;

    @Option(
            names = "--fresh",
            description =
                    "Start over even when --output holds an unfinished earlier run (which is"
                            + " otherwise resumed from its newest checkpoint).")
    boolean fresh;

    @Mixin ConfigMixin config;

    @Override
    public Integer call() throws Exception {
        DemoRunner.Options options =
                new DemoRunner.Options(
                        output,
                        events,
                        seed,
                        input,
                        InputFormat.fromCliName(format),
                        keepRunning,
                        fresh);
        new DemoRunner(System.out).run(options, config.load(DEMO_DEFAULTS));
        return 0;
    }
}
