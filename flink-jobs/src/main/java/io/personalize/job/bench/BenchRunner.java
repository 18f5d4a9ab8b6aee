package io.personalize.job.bench;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.conversions.Conversion;
import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentChange;
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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Measures, in one process and one run, the full pipeline (as production runs it, Iceberg tables
 * included), the same graph with discarding sinks (what the tables cost), and a bare pipeline (same
 * source, parse and keyBy, discarding sink) on the same in-memory events. The ratio of full to bare
 * is the figure that travels between machines.
 */
public final class BenchRunner {
    private static final String SECRET = "bench-secret-not-for-production";
    private static final int WARMUP_EVENTS = 50_000;

    private final PrintStream out;
    private final Configuration userConf;
    private Path scratch;

    /** Triggers the delivery stage sends to the local endpoint for {@code stage=delivery}. */
    private static final int DELIVERY_REQUESTS = 20_000;

    public BenchRunner(PrintStream out, Configuration userConf) {
        this.out = out;
        this.userConf = userConf;
    }

    public void run(long events) throws Exception {
        JobSettings settings = JobSettings.from(ConfigLoader.withJobDefaults(userConf), SECRET);
        int parallelism = environment(false).getParallelism();
        scratch = Files.createTempDirectory("personalize-bench");
        try {
            out.println("# warm-up");
            BenchEvents.set(generate(Math.min(events, WARMUP_EVENTS)), parallelism);
            bare(settings);
            full(settings, null);
            full(settings, scratch.resolve("warmup"));
            out.printf(Locale.ROOT, "# generating %d events in memory%n", events);
            BenchEvents.set(generate(events), parallelism);

            Result bare = bare(settings);
            Result discarding = full(settings, null);
            Result full = full(settings, scratch.resolve("full"));
            out.println(bare.line("bare", events));
            out.println(discarding.line("full_discarding", events));
            out.println(full.line("full", events));
            out.printf(
                    Locale.ROOT,
                    "ratio_full_to_bare=%.2f%n",
                    full.eventsPerSecond(events) / bare.eventsPerSecond(events));
            out.println(FeatureStateSize.measure(BenchEvents.lines(), settings));
            out.println(SegmentCost.measure(BenchEvents.lines(), settings));
            OnnxCost.measure(BenchEvents.lines(), settings).forEach(out::println);
            out.println(
                    DeliveryCost.measure(
                            environment(false),
                            (int) Math.min(DELIVERY_REQUESTS, Math.max(100, events / 25)),
                            scratch.resolve("delivery")));
        } finally {
            deleteRecursively(scratch);
        }
    }

    private Result bare(JobSettings settings) throws Exception {
        StreamExecutionEnvironment env = environment(false);
        DataStream<String> records = source(env);
        records.process(new ParseFunction(settings.parser(InputFormat.ENVELOPE), "bench"))
                .keyBy(new CustomerKeySelector())
                .map(new LatencyProbe())
                .sinkTo(new DiscardingSink<>());
        return measure(env, "bench-bare");
    }

    /** The full graph, writing Iceberg tables in {@code warehouse}, or discarding when null. */
    private Result full(JobSettings settings, Path warehouse) throws Exception {
        StreamExecutionEnvironment env = environment(true);
        PipelineSinks iceberg =
                warehouse == null
                        ? new DiscardingSinks()
                        : new IcebergPipelineSinks(
                                CatalogSettings.localSqlite(warehouse, "bench"), settings);
        PipelineSinks probed =
                new PipelineSinks() {
                    @Override
                    public void events(DataStream<Event> events) {
                        iceberg.events(events.map(new LatencyProbe()).name("Latency probe"));
                    }

                    @Override
                    public void customerFeatures(DataStream<CustomerFeatures> changes) {
                        iceberg.customerFeatures(changes);
                    }

                    @Override
                    public void segmentChanges(DataStream<SegmentChange> changes) {
                        iceberg.segmentChanges(changes);
                    }

                    @Override
                    public void cartAbandonments(DataStream<CartAbandonment> abandonments) {
                        iceberg.cartAbandonments(abandonments);
                    }

                    @Override
                    public void browseAbandonments(DataStream<BrowseAbandonment> abandonments) {
                        iceberg.browseAbandonments(abandonments);
                    }

                    @Override
                    public void scores(DataStream<CustomerScore> scores) {
                        iceberg.scores(scores);
                    }

                    @Override
                    public void decisions(DataStream<Decision> decisions) {
                        iceberg.decisions(decisions);
                    }

                    @Override
                    public void deliveries(DataStream<DeliveryResult> deliveries) {
                        iceberg.deliveries(deliveries);
                    }

                    @Override
                    public void conversions(DataStream<Conversion> conversions) {
                        iceberg.conversions(conversions);
                    }

                    @Override
                    public void deadLetters(DataStream<DeadLetter> deadLetters) {
                        iceberg.deadLetters(deadLetters);
                    }
                };
        PersonalizationPipeline.build(
                List.of(new PipelineInput("bench", source(env), InputFormat.ENVELOPE, "bench")),
                probed,
                settings);
        return measure(env, "bench-full");
    }

    private StreamExecutionEnvironment environment(boolean checkpointing) {
        Configuration conf = ConfigLoader.withJobDefaults(userConf);
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

    private static DataStream<String> source(StreamExecutionEnvironment env) {
        return env.fromSource(
                BenchEvents.source(), WatermarkStrategy.noWatermarks(), "In-memory events");
    }

    private static Result measure(StreamExecutionEnvironment env, String name) throws Exception {
        LatencyRecorder.reset();
        long start = System.nanoTime();
        env.execute(name);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(seconds, LatencyRecorder.quantile(0.5), LatencyRecorder.quantile(0.99));
    }

    private static List<String> generate(long events) {
        List<String> lines = new ArrayList<>((int) events);
        Iterator<String> it = new DemoDataGenerator(DemoDataGenerator.defaults()).lines(events);
        it.forEachRemaining(lines::add);
        return lines;
    }

    private record Result(double seconds, long p50Millis, long p99Millis) {
        double eventsPerSecond(long events) {
            return events / seconds;
        }

        String line(String pipeline, long events) {
            return String.format(
                    Locale.ROOT,
                    "pipeline=%s events=%d seconds=%.2f events_per_sec=%.0f latency_p50_ms=%d latency_p99_ms=%d",
                    pipeline,
                    events,
                    seconds,
                    eventsPerSecond(events),
                    p50Millis,
                    p99Millis);
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
