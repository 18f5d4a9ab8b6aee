package io.personalize.job.bench;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.RawRecord;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.PipelineInput;
import io.personalize.job.PipelineSinks;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.events.CustomerKeySelector;
import io.personalize.job.events.ParseFunction;
import io.personalize.job.sinks.DiscardingSinks;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.tables.CatalogSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Measures, in one process and one run, the full pipeline (as production runs it, Iceberg tables
 * included), the same graph with discarding sinks (what the tables cost), and a bare pipeline (same
 * source, parse and keyBy, discarding sink) on the same in-memory events; then the full pipeline
 * paced at a fixed rate, with the latency from each event's read to the decision it triggered. The
 * ratio of full to bare is the figure that travels between machines; CPU-µs per event (process CPU
 * over the run) is steadier than wall time on a shared machine.
 */
public final class BenchRunner {
    private static final String SECRET = "bench-secret-not-for-production";
    private static final int WARMUP_EVENTS = 50_000;

    /** Triggers the delivery stage sends to the local endpoint for {@code stage=delivery}. */
    private static final int DELIVERY_REQUESTS = 20_000;

    private final PrintStream out;
    private final Configuration userConf;
    private Path scratch;

    public BenchRunner(PrintStream out, Configuration userConf) {
        this.out = out;
        this.userConf = userConf;
    }

    /**
     * @param rate events per second of the paced run; 0 for half of the full pipeline's measured
     *     maximum, negative for no paced run
     */
    public void run(long events, double rate) throws Exception {
        run(events, rate, null);
    }

    /**
     * @param only the one run to measure after the warm-up ({@code bare}, {@code full_discarding},
     *     {@code full} or {@code paced}); null for every one
     */
    public void run(long events, double rate, String only) throws Exception {
        if (only != null
                && !List.of("bare", "full_discarding", "full", "paced", "event_time_order")
                        .contains(only)) {
            throw new IllegalArgumentException(
                    "--only takes bare, full_discarding, full, paced or event_time_order, not "
                            + only);
        }
        if ("paced".equals(only) && !(rate > 0)) {
            throw new IllegalArgumentException("--only paced needs --rate");
        }
        JobSettings settings = JobSettings.from(ConfigLoader.withJobDefaults(userConf), SECRET);
        int parallelism = environment(false).getParallelism();
        scratch = Files.createTempDirectory("personalize-bench");
        try {
            out.println("# warm-up");
            BenchEvents.set(generate(Math.min(events, WARMUP_EVENTS)), parallelism);
            bare(settings);
            full(settings, null, 0);
            full(settings, scratch.resolve("warmup"), 0);
            out.printf(Locale.ROOT, "# generating %d events in memory%n", events);
            BenchEvents.set(generate(events), parallelism);
            if (only != null) {
                runOnly(only, settings, events, rate);
                return;
            }

            Result bare = bare(settings);
            Result discarding = full(settings, null, 0);
            Path warehouse = scratch.resolve("full");
            Result full = full(settings, warehouse, 0);
            out.println(bare.line("bare", events));
            out.println(discarding.line("full_discarding", events));
            TableWrites writes = TableWrites.read(CatalogSettings.localSqlite(warehouse, "bench"));
            out.println(full.line("full", events) + " " + writes.line(events));
            out.printf(
                    Locale.ROOT,
                    "ratio_full_to_bare=%.2f%n",
                    full.eventsPerSecond(events) / bare.eventsPerSecond(events));
            if (rate >= 0) {
                double paced = rate > 0 ? rate : Math.max(1, full.eventsPerSecond(events) / 2);
                out.printf(Locale.ROOT, "# paced run at %.0f events/s%n", paced);
                Result live = full(settings, scratch.resolve("paced"), paced);
                out.println(live.pacedLine(events, paced));
            }
            out.println(FeatureStateSize.measure(BenchEvents.lines(), settings));
            out.println(SegmentCost.measure(BenchEvents.lines(), settings));
            OnnxCost.measure(BenchEvents.lines(), settings).forEach(out::println);
            out.println(
                    DeliveryCost.measure(
                            environment(false),
                            (int) Math.min(DELIVERY_REQUESTS, Math.max(100, events / 25)),
                            scratch.resolve("delivery")));
            orderCost(settings).forEach(out::println);
        } finally {
            deleteRecursively(scratch);
        }
    }

    private void runOnly(String only, JobSettings settings, long events, double rate)
            throws Exception {
        switch (only) {
            case "bare" -> out.println(bare(settings).line("bare", events));
            case "full_discarding" ->
                    out.println(full(settings, null, 0).line("full_discarding", events));
            case "full" -> {
                Path warehouse = scratch.resolve("full");
                Result full = full(settings, warehouse, 0);
                TableWrites writes =
                        TableWrites.read(CatalogSettings.localSqlite(warehouse, "bench"));
                out.println(full.line("full", events) + " " + writes.line(events));
            }
            case "event_time_order" -> orderCost(settings).forEach(out::println);
            default ->
                    out.println(
                            full(settings, scratch.resolve("paced"), rate).pacedLine(events, rate));
        }
    }

    private List<String> orderCost(JobSettings settings) throws Exception {
        Configuration conf = ConfigLoader.withLocalDefaults(userConf);
        conf.setString("parallelism.default", conf.getString("parallelism.default", "2"));
        return EventTimeOrderCost.measure(conf, settings, BenchEvents.lines(), scratch);
    }

    private Result bare(JobSettings settings) throws Exception {
        StreamExecutionEnvironment env = environment(false);
        DataStream<RawRecord> records =
                source(env, 0).map(RawRecord::ofText, TypeInformation.of(RawRecord.class));
        records.process(new ParseFunction(settings.intake(InputFormat.ENVELOPE), "bench"))
                .keyBy(new CustomerKeySelector())
                .map(new LatencyProbe())
                .sinkTo(new DiscardingSink<>());
        return measure(env, "bench-bare", false);
    }

    /**
     * The full graph, writing Iceberg tables in {@code warehouse}, or discarding when null.
     *
     * @param rate events per second, 0 for as fast as it goes
     */
    private Result full(JobSettings settings, Path warehouse, double rate) throws Exception {
        StreamExecutionEnvironment env = environment(true);
        PipelineSinks sinks =
                warehouse == null
                        ? new DiscardingSinks()
                        : new IcebergPipelineSinks(
                                CatalogSettings.localSqlite(warehouse, "bench"), settings);
        PersonalizationPipeline.Streams streams =
                PersonalizationPipeline.build(
                        List.of(
                                PipelineInput.ofText(
                                        "bench", source(env, rate), InputFormat.ENVELOPE, "bench")),
                        sinks,
                        settings);
        streams.events()
                .map(new LatencyProbe())
                .name("Latency probe (events)")
                .sinkTo(new DiscardingSink<>());
        streams.live()
                .orElseThrow()
                .decisions()
                .map(new DecisionLatencyProbe())
                .name("Latency probe (decisions)")
                .sinkTo(new DiscardingSink<>());
        return measure(env, "bench-full", rate > 0);
    }

    private StreamExecutionEnvironment environment(boolean checkpointing) {
        Configuration conf = ConfigLoader.withLocalDefaults(userConf);
        if (scratch != null && !userConf.containsKey(ConfigLoader.CHECKPOINT_DIR)) {
            conf.setString(
                    ConfigLoader.CHECKPOINT_DIR, scratch.resolve("checkpoints").toUri().toString());
        }
        if (!checkpointing) {
            conf.removeKey("execution.checkpointing.interval");
        }
        conf.setString("parallelism.default", conf.getString("parallelism.default", "2"));
        return StreamExecutionEnvironment.createLocalEnvironment(conf);
    }

    private static DataStream<String> source(StreamExecutionEnvironment env, double rate) {
        return env.fromSource(
                BenchEvents.source(rate), WatermarkStrategy.noWatermarks(), "In-memory events");
    }

    /** Runs the job; wall and CPU time count from its first record to its end. */
    private static Result measure(StreamExecutionEnvironment env, String name, boolean decisions)
            throws Exception {
        LatencyRecorder.reset(decisions);
        RunClock.reset();
        env.executeAsync(name).getJobExecutionResult().get();
        return new Result(
                RunClock.wallSeconds(),
                RunClock.cpuSeconds(),
                LatencyRecorder.EVENTS.quantile(0.5),
                LatencyRecorder.EVENTS.quantile(0.99),
                LatencyRecorder.DECISIONS.count(),
                LatencyRecorder.DECISIONS.quantile(0.5),
                LatencyRecorder.DECISIONS.quantile(0.99));
    }

    private static List<String> generate(long events) {
        List<String> lines = new ArrayList<>((int) events);
        Iterator<String> it = new DemoDataGenerator(DemoDataGenerator.defaults()).lines(events);
        it.forEachRemaining(lines::add);
        return lines;
    }

    private record Result(
            double seconds,
            double cpuSeconds,
            long p50Millis,
            long p99Millis,
            long decisionsProbed,
            long decisionP50Millis,
            long decisionP99Millis) {
        double eventsPerSecond(long events) {
            return events / seconds;
        }

        String line(String pipeline, long events) {
            return String.format(
                    Locale.ROOT,
                    "pipeline=%s events=%d seconds=%.2f events_per_sec=%.0f cpu_us_per_event=%.1f"
                            + " latency_p50_ms=%d latency_p99_ms=%d",
                    pipeline,
                    events,
                    seconds,
                    eventsPerSecond(events),
                    cpuSeconds * 1e6 / events,
                    p50Millis,
                    p99Millis);
        }

        String pacedLine(long events, double rate) {
            return String.format(
                    Locale.ROOT,
                    "pipeline=paced events=%d rate=%.0f seconds=%.2f cpu_us_per_event=%.1f"
                            + " decisions_probed=%d decision_latency_p50_ms=%d"
                            + " decision_latency_p99_ms=%d",
                    events,
                    rate,
                    seconds,
                    cpuSeconds * 1e6 / events,
                    decisionsProbed,
                    decisionP50Millis,
                    decisionP99Millis);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
