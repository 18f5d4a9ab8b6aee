package io.personalize.job.bench;

import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;

/**
 * Measures, in one process and one run, the full pipeline (as production runs it, Iceberg tables
 * included), the same graph with discarding sinks (what the tables cost), and a bare pipeline (same
 * source, parse and keyBy, discarding sink) on the same in-memory events ({@link BenchJobs}); then
 * the full pipeline paced at a fixed rate on the generated history, compressed in time, with the
 * latency from each event's read to the decision it triggered. The ratio of full to bare is the
 * figure that travels between machines; CPU-µs per event (process CPU over the run) is steadier
 * than wall time on a shared machine. After each pipeline's line, its CPU by task and by kind of
 * work ({@link CpuBreakdown}). {@link #runLive} measures the latency users feel instead ({@link
 * LiveRun}).
 */
public final class BenchRunner {
    private static final String SECRET = "bench-secret-not-for-production";
    private static final int WARMUP_EVENTS = 50_000;

    /** Triggers the delivery stage sends to the local endpoint for {@code stage=delivery}. */
    private static final int DELIVERY_REQUESTS = 20_000;

    private static final List<String> ONLY =
            List.of("bare", "full_discarding", "full", "paced_compressed", "event_time_order");

    private final PrintStream out;
    private final Configuration userConf;
    private Path scratch;
    private BenchJobs jobs;

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
     *     {@code full}, {@code paced_compressed} or {@code event_time_order}); null for every one
     */
    public void run(long events, double rate, String only) throws Exception {
        String run = "paced".equals(only) ? "paced_compressed" : only;
        if (run != null && !ONLY.contains(run)) {
            throw new IllegalArgumentException(
                    "--only takes " + String.join(", ", ONLY) + ", not " + only);
        }
        if ("paced_compressed".equals(run) && !(rate > 0)) {
            throw new IllegalArgumentException("--only paced_compressed needs --rate");
        }
        JobSettings settings = settings();
        try {
            prepare(events, settings);
            if (run != null) {
                runOnly(run, settings, events, rate);
                return;
            }
            RunResult bare = jobs.bare(settings);
            RunResult discarding = jobs.full(settings, null, 0);
            RunResult full = jobs.full(settings, scratch.resolve("full"), 0);
            print(bare, "bare", events);
            print(discarding, "full_discarding", events);
            printFull(full, events);
            out.printf(
                    Locale.ROOT,
                    "ratio_full_to_bare=%.2f%n",
                    full.eventsPerSecond(events) / bare.eventsPerSecond(events));
            if (rate >= 0) {
                double paced = rate > 0 ? rate : Math.max(1, full.eventsPerSecond(events) / 2);
                out.printf(Locale.ROOT, "# paced run (compressed time) at %.0f events/s%n", paced);
                RunResult compressed = jobs.full(settings, scratch.resolve("paced"), paced);
                print(compressed, compressed.pacedLine(events, paced), "paced_compressed", events);
            }
            out.println(FeatureStateSize.measure(BenchEvents.lines(), settings));
            out.println(SegmentCost.measure(BenchEvents.lines(), settings));
            OnnxCost.measure(BenchEvents.lines(), settings).forEach(out::println);
            out.println(
                    DeliveryCost.measure(
                            jobs.environment(false),
                            (int) Math.min(DELIVERY_REQUESTS, Math.max(100, events / 25)),
                            scratch.resolve("delivery")));
            orderCost(settings).forEach(out::println);
        } finally {
            deleteRecursively(scratch);
        }
    }

    /**
     * The live run ({@link LiveRun}) after the warm-up.
     *
     * @param rate events per second; 0 for half of the full pipeline's measured maximum, measured
     *     first in this run
     */
    public void runLive(long events, double rate) throws Exception {
        if (rate < 0) {
            throw new IllegalArgumentException("--live needs a positive --rate, or none");
        }
        JobSettings settings = settings();
        try {
            prepare(events, settings);
            double live = rate;
            if (live == 0) {
                RunResult full = jobs.full(settings, scratch.resolve("full"), 0);
                printFull(full, events);
                live = Math.max(1, full.eventsPerSecond(events) / 2);
            }
            out.printf(
                    Locale.ROOT,
                    "# live run (event time = emission time) at %.0f events/s%n",
                    live);
            LiveRun.Result result =
                    new LiveRun(jobs, userConf, SECRET).run(scratch.resolve("live"), live);
            print(result.run(), result.line(events), "live", events);
        } finally {
            deleteRecursively(scratch);
        }
    }

    private JobSettings settings() {
        return JobSettings.from(ConfigLoader.withJobDefaults(userConf), SECRET);
    }

    /** The scratch folder, the warm-up on up to {@link #WARMUP_EVENTS}, then the events. */
    private void prepare(long events, JobSettings settings) throws Exception {
        scratch = Files.createTempDirectory("personalize-bench");
        jobs = new BenchJobs(userConf, scratch);
        int parallelism = jobs.parallelism();
        out.println("# warm-up");
        BenchEvents.set(generate(Math.min(events, WARMUP_EVENTS)), parallelism);
        jobs.bare(settings);
        jobs.full(settings, null, 0);
        jobs.full(settings, scratch.resolve("warmup"), 0);
        out.printf(Locale.ROOT, "# generating %d events in memory%n", events);
        BenchEvents.set(generate(events), parallelism);
    }

    private void runOnly(String only, JobSettings settings, long events, double rate)
            throws Exception {
        switch (only) {
            case "bare" -> print(jobs.bare(settings), "bare", events);
            case "full_discarding" ->
                    print(jobs.full(settings, null, 0), "full_discarding", events);
            case "full" -> printFull(jobs.full(settings, scratch.resolve("full"), 0), events);
            case "event_time_order" -> orderCost(settings).forEach(out::println);
            default -> {
                RunResult paced = jobs.full(settings, scratch.resolve("paced"), rate);
                print(paced, paced.pacedLine(events, rate), "paced_compressed", events);
            }
        }
    }

    private void printFull(RunResult full, long events) throws Exception {
        TableWrites writes =
                TableWrites.read(CatalogSettings.localSqlite(scratch.resolve("full"), "bench"));
        print(full, full.line("full", events) + " " + writes.line(events), "full", events);
    }

    private void print(RunResult result, String pipeline, long events) {
        print(result, result.line(pipeline, events), pipeline, events);
    }

    /**
     * The pipeline's line, its {@code stage_cpu} lines and, for each task label that shortens its
     * chain, a comment line with the whole chain.
     */
    private void print(RunResult result, String line, String pipeline, long events) {
        out.println(line);
        result.cpuLines(pipeline, events).forEach(out::println);
        new TreeMap<>(result.cpu().fullNames())
                .forEach(
                        (label, chain) ->
                                out.printf(
                                        "# stage_cpu pipeline=%s task=\"%s\" chain=\"%s\"%n",
                                        pipeline, label, chain));
    }

    private List<String> orderCost(JobSettings settings) throws Exception {
        Configuration conf = ConfigLoader.withLocalDefaults(userConf);
        conf.setString("parallelism.default", conf.getString("parallelism.default", "2"));
        return EventTimeOrderCost.measure(conf, settings, BenchEvents.lines(), scratch);
    }

    private static List<String> generate(long events) {
        List<String> lines = new ArrayList<>((int) events);
        Iterator<String> it = new DemoDataGenerator(DemoDataGenerator.defaults()).lines(events);
        it.forEachRemaining(lines::add);
        return lines;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
