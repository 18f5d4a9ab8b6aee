package io.personalize.job.demo;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.generator.CatalogFile;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.config.ConfigException;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.events.DeduplicateFunction;
import io.personalize.job.events.GuestRowFilter;
import io.personalize.job.events.ParseFunction;
import io.personalize.job.maintenance.MaintenanceRun;
import io.personalize.job.recovery.RetainedCheckpoints;
import io.personalize.job.recovery.RunStart;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sources.EventTimeOrder;
import io.personalize.job.sources.FileInputs;
import io.personalize.models.ModelRegistryUpdate;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.MaintenanceSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.prometheus.LoopbackPrometheusReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the whole job in a local MiniCluster on generated (or given) data, writes real Iceberg
 * tables under the output folder, and reports what happened.
 */
public final class DemoRunner {
    /** Length of the one-off hashing secret the demo makes when the environment gives none. */
    private static final int SECRET_BYTES = 32;

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    /** What the demo command was asked to do. */
    public record Options(
            Path output,
            long events,
            long seed,
            Path input,
            InputFormat format,
            boolean keepRunning,
            boolean fresh) {
        /** Resumes an unfinished earlier run in {@code output}, if any. */
        public Options(
                Path output,
                long events,
                long seed,
                Path input,
                InputFormat format,
                boolean keepRunning) {
            this(output, events, seed, input, format, keepRunning, false);
        }
    }

    private final PrintStream out;
    private final String hashSecret;

    public DemoRunner(PrintStream out) {
        this(out, null);
    }

    /**
     * @param hashSecret the secret personal fields are hashed with (two runs that must write the
     *     same rows share one); null for the environment's, else a one-off one
     */
    public DemoRunner(PrintStream out, String hashSecret) {
        this.out = out;
        this.hashSecret = hashSecret;
    }

    public DemoSummary run(Options options, Configuration userConf) throws Exception {
        long started = System.nanoTime();
        Path output = createOutput(options.output());
        Path warehouse = output.resolve("warehouse");
        Configuration conf = ConfigLoader.withLocalDefaults(userConf);
        if (!userConf.containsKey(ConfigLoader.CHECKPOINT_DIR)) {
            conf.setString(
                    ConfigLoader.CHECKPOINT_DIR, output.resolve("checkpoints").toUri().toString());
        }
        // A previous run in this folder that did not finish (killed, crashed) left its
        // checkpoints: go on from the newest instead of starting over.
        boolean resuming =
                !options.fresh()
                        && RetainedCheckpoints.newest(
                                        URI.create(conf.getString(ConfigLoader.CHECKPOINT_DIR, "")))
                                .isPresent();
        if (!resuming) {
            deleteRecursively(warehouse);
            deleteRecursively(output.resolve("checkpoints"));
        }
        Path generated = output.resolve("input").resolve("events.jsonl");
        Path input =
                options.input() != null
                        ? options.input()
                        : resuming && Files.exists(generated)
                                ? generated
                                : generate(options, output);

        if (options.input() == null && !userConf.contains(PersonalizeOptions.CATALOG_PATH)) {
            Path products = output.resolve("catalog.csv");
            CatalogFile.write(products);
            conf.set(PersonalizeOptions.CATALOG_PATH, products.toString());
        }
        if (!userConf.contains(PersonalizeOptions.MODELS_REGISTRY)) {
            // the shipped models, copied where they can be read, edited and swapped
            ModelRegistryUpdate shipped = ModelRegistryUpdate.shipped(System.currentTimeMillis());
            if (shipped.text != null) {
                deleteRecursively(output.resolve("models"));
                Path registry = shipped.writeTo(output.resolve("models"));
                conf.set(PersonalizeOptions.MODELS_REGISTRY, registry.toString());
                if (options.keepRunning()) {
                    conf.set(PersonalizeOptions.MODELS_WATCH, true);
                    conf.set(PersonalizeOptions.MODELS_POLL_INTERVAL, Duration.ofSeconds(2));
                }
            }
        }
        if (options.keepRunning()) {
            if (!userConf.containsKey("rest.port")) {
                conf.setString("rest.port", "8081");
            }
            conf.setString(
                    "metrics.reporter.prom.factory.class",
                    LoopbackPrometheusReporter.Factory.class.getName());
            if (!userConf.containsKey("metrics.reporter.prom.port")) {
                conf.setString("metrics.reporter.prom.port", "9249");
            }
            conf.setString("metrics.reporter.prom.host", ConfigLoader.LOOPBACK);
            if (!userConf.contains(PersonalizeOptions.SEGMENTS_DEFINITIONS)) {
                // live segment edits: the defaults in a file the running job watches
                Path segments = output.resolve("segments.yaml");
                Files.writeString(segments, SegmentDefinitions.defaultsText());
                conf.set(PersonalizeOptions.SEGMENTS_DEFINITIONS, segments.toString());
                conf.set(PersonalizeOptions.SEGMENTS_WATCH, true);
                conf.set(PersonalizeOptions.SEGMENTS_POLL_INTERVAL, Duration.ofSeconds(2));
            }
        }
        DemoEndpoint endpoint = null;
        if (!userConf.contains(PersonalizeOptions.DELIVERY_ENDPOINTS)) {
            endpoint = startEndpoint(output, conf);
        }
        try (DemoEndpoint closing = endpoint) {
            return runJob(options, resuming, conf, input, output, warehouse, started, closing);
        }
    }

    private DemoSummary runJob(
            Options options,
            boolean resuming,
            Configuration conf,
            Path input,
            Path output,
            Path warehouse,
            long started,
            DemoEndpoint endpoint)
            throws Exception {
        JobSettings settings = JobSettings.from(conf, hashSecret(output, resuming));
        CatalogSettings catalog = JobSettings.catalog(conf, warehouse);
        if (resuming) {
            RunStart.prepare(RunStart.Request.resumeIfPossible(), conf, catalog, out);
            out.println("  (the record counts below cover the resumed part; the tables hold all)");
        }

        // A bounded run streams its input in event-time order (personalize.input.order).
        Path ordered =
                options.keepRunning() || !JobSettings.ordersBoundedInput(conf)
                        ? null
                        : EventTimeOrder.prepare(
                                conf,
                                input,
                                options.format().cliName(),
                                settings.intake(options.format()),
                                conf.get(PersonalizeOptions.MAX_EVENT_BYTES),
                                output.resolve("history-order"),
                                out);
        StreamExecutionEnvironment env =
                options.keepRunning()
                        ? StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf)
                        : StreamExecutionEnvironment.createLocalEnvironment(conf);
        Path watched = options.keepRunning() && options.input() == null ? input.getParent() : input;
        PersonalizationPipeline.build(
                List.of(
                        ordered != null
                                ? FileInputs.ordered(env, input, ordered, options.format())
                                : FileInputs.of(
                                        env,
                                        watched,
                                        options.format(),
                                        options.keepRunning() ? Duration.ofSeconds(5) : null)),
                new IcebergPipelineSinks(catalog, settings),
                settings);

        out.printf("running the job on %s (%s)%n", input, options.format().cliName());
        if (options.keepRunning()) {
            out.printf(
                    "keep-running: Flink web UI http://127.0.0.1:%s, Prometheus metrics"
                            + " http://127.0.0.1:%s/metrics; new files in %s are read as they"
                            + " arrive; Ctrl-C stops%n",
                    conf.getString("rest.port", "8081"),
                    conf.getString("metrics.reporter.prom.port", "9249"),
                    watched);
            if (settings.models().watches()) {
                out.printf(
                        "models: edit %s (or the models and cards it names) to swap models while"
                                + " the job runs; a model that fails its card is refused%n",
                        settings.models().registryPath());
            }
            if (settings.watchesSegments()) {
                out.printf(
                        "segments: edit %s and raise its version to change segments while the"
                                + " job runs%n",
                        settings.segmentsPath());
            }
        }
        JobClient client = env.executeAsync("personalize-demo");
        Map<String, Object> accumulators =
                awaitWithProgress(
                        client, options.keepRunning(), catalog, settings, input, started, output);
        if (ordered != null) {
            EventTimeOrder.remove(ordered); // the run is complete: no resume needs it
        }
        io.personalize.job.erasure.Erasures.completeAfterRun(
                accumulators, catalog, settings.hashSecret(), out);
        if (!options.keepRunning() && conf.get(PersonalizeOptions.MAINTENANCE_AFTER_RUN)) {
            MaintenanceRun.run(catalog, demoMaintenance(conf), out);
        }
        DemoSummary summary =
                summarize(input, started, accumulators, catalog, settings, endpoint, output);
        summary.writeJson(output.resolve("summary.json"));
        summary.print(out);
        out.printf("summary written to %s%n", output.resolve("summary.json"));
        return summary;
    }

    /**
     * The job's maintenance settings, the job being done; a demo keeps no snapshot history unless
     * {@code personalize.maintenance.snapshot-retention} is set: nobody reads its tables at an
     * older snapshot, and the files of its many small commits go at once.
     */
    static MaintenanceSettings demoMaintenance(Configuration conf) {
        MaintenanceSettings settings = JobSettings.maintenance(conf).withWritersStopped();
        return conf.contains(PersonalizeOptions.MAINTENANCE_SNAPSHOT_RETENTION)
                ? settings
                : settings.withSnapshotRetention(Duration.ZERO);
    }

    private Path generate(Options options, Path output) throws IOException {
        Path file = output.resolve("input").resolve("events.jsonl");
        Files.createDirectories(file.getParent());
        out.printf(
                "generating %,d demo records (seed %d) into %s%n",
                options.events(), options.seed(), file);
        new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(options.seed()))
                .writeTo(file, options.events());
        return file;
    }

    /**
     * The secret personal fields are hashed with: the one given, else the environment's, else a
     * one-off one kept in an owner-only file of the output folder, so that a resumed run hashes as
     * the first part did.
     */
    private String hashSecret(Path output, boolean resuming) throws IOException {
        if (hashSecret != null) {
            return hashSecret;
        }
        String secret = System.getenv(PersonalDataScrubber.SECRET_ENV);
        if (secret != null && !secret.isBlank()) {
            return secret;
        }
        Path file = output.resolve("hash-secret");
        if (resuming && Files.isRegularFile(file)) {
            return Files.readString(file).trim();
        }
        byte[] random = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(random);
        String generated = HexFormat.of().formatHex(random);
        writeOwnerOnly(file, generated);
        out.printf(
                "generated a one-off hashing secret for personal fields (set %s to choose one)%n",
                PersonalDataScrubber.SECRET_ENV);
        return generated;
    }

    /** The output folder, created when missing; one line naming it when that is not possible. */
    private static Path createOutput(Path given) {
        Path output = given.toAbsolutePath().normalize();
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new ConfigException("cannot create the output folder " + output + ": " + e);
        }
        if (!Files.isWritable(output)) {
            throw new ConfigException("the output folder " + output + " is not writable");
        }
        return output;
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // the file stays where the demo's other outputs are
        }
        Files.writeString(file, text);
    }

    /**
     * Prints progress until the job ends and returns its final accumulators. When kept running,
     * prints a summary once the input has been read and committed, then goes on until killed.
     */
    private Map<String, Object> awaitWithProgress(
            JobClient client,
            boolean keepRunning,
            CatalogSettings catalog,
            JobSettings settings,
            Path input,
            long started,
            Path output)
            throws Exception {
        CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        long lastRead = -1;
        int quietTicks = 0;
        boolean summarized = false;
        while (true) {
            try {
                JobExecutionResult done =
                        result.get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                return done.getAllAccumulatorResults();
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                Map<String, Object> now = client.getAccumulators().get(10, TimeUnit.SECONDS);
                long read = longValue(now, ParseFunction.RECORDS_READ);
                if (read != lastRead) {
                    out.printf(
                            "  ... %,d records read, %,d valid, %,d dead letters%n",
                            read,
                            longValue(now, ParseFunction.EVENTS_VALID),
                            read - longValue(now, ParseFunction.EVENTS_VALID));
                    lastRead = read;
                    quietTicks = 0;
                } else if (keepRunning && read > 0 && !summarized && ++quietTicks >= 8) {
                    // Quiet for longer than a checkpoint interval: what was read is committed.
                    DemoSummary summary =
                            summarize(input, started, now, catalog, settings, null, output);
                    summary.writeJson(output.resolve("summary.json"));
                    summary.print(out);
                    summarized = true;
                }
            }
        }
    }

    /**
     * The local trigger endpoint, with a one-off signing secret in a file only the owner reads, and
     * an endpoints file that points every endpoint id of the flows at it.
     */
    private DemoEndpoint startEndpoint(Path output, Configuration conf) throws IOException {
        byte[] key = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Path secretFile = output.resolve("endpoint-secret");
        writeOwnerOnly(secretFile, secret);
        DemoEndpoint endpoint = DemoEndpoint.start(secret, output.resolve("deliveries.jsonl"));
        Set<String> ids = new TreeSet<>();
        String flowsPath = conf.get(PersonalizeOptions.FLOWS_DEFINITIONS);
        FlowDefinitions flows =
                flowsPath == null
                        ? FlowDefinitions.defaults()
                        : FlowDefinitions.load(Path.of(flowsPath));
        flows.flows().forEach(f -> ids.add(f.endpoint()));
        StringBuilder yaml = new StringBuilder("endpoints:\n");
        for (String id : ids) {
            yaml.append("  ")
                    .append(id)
                    .append(":\n    url: ")
                    .append(endpoint.url())
                    .append("\n    secret-file: ")
                    .append(secretFile)
                    .append("\n    timeout: 5s\n");
        }
        Path endpoints = output.resolve("endpoints.yaml");
        Files.writeString(endpoints, yaml);
        conf.set(PersonalizeOptions.DELIVERY_ENDPOINTS, endpoints.toString());
        out.printf(
                "trigger endpoint %s (signature checked; received triggers go to %s)%n",
                endpoint.url(), output.resolve("deliveries.jsonl"));
        return endpoint;
    }

    private static DemoSummary summarize(
            Path input,
            long started,
            Map<String, Object> accumulators,
            CatalogSettings catalog,
            JobSettings settings,
            DemoEndpoint endpoint,
            Path output) {
        return new DemoSummary(
                input.toString(),
                (System.nanoTime() - started) / 1e9,
                longValue(accumulators, ParseFunction.RECORDS_READ),
                longValue(accumulators, ParseFunction.EVENTS_VALID),
                longValue(accumulators, DeduplicateFunction.DUPLICATES),
                longValue(accumulators, GuestRowFilter.GUEST_ROWS),
                TableStatusReader.deadLettersByReason(catalog),
                TableStatusReader.read(catalog),
                TableStatusReader.history(catalog, settings.historyBucket().toMillis()),
                TableStatusReader.segments(catalog),
                TableStatusReader.cartLifecycle(catalog),
                TableStatusReader.scores(catalog),
                TableStatusReader.decisions(catalog),
                TableStatusReader.decisionReasons(catalog),
                TableStatusReader.deliveries(catalog),
                TableStatusReader.conversions(catalog),
                endpoint == null
                        ? null
                        : new DemoSummary.EndpointCounts(
                                output.resolve("deliveries.jsonl").toString(),
                                endpoint.acceptedByFlow(),
                                endpoint.duplicates(),
                                endpoint.rejected()),
                catalog.warehouse(),
                catalog.uri(),
                catalog.namespace());
    }

    private static long longValue(Map<String, Object> accumulators, String name) {
        Object value = accumulators.get(name);
        return value instanceof Number number ? number.longValue() : 0L;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
