package io.personalize.job.bench;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RawRecord;
import io.personalize.core.events.RecordIntake;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.sources.EventTimeOrder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.flink.configuration.Configuration;

/**
 * What putting bounded input in event-time order costs ({@link EventTimeOrder}): the batch job that
 * writes the time-ordered copy, run on the bench's events written to a file sorted by event time
 * and to a shuffled copy of it (fixed seed).
 *
 * <pre>
 * stage=event_time_order file=sorted events=... seconds=... events_per_sec=... cpu_us_per_event=...
 * stage=event_time_order file=shuffled events=... seconds=... events_per_sec=... cpu_us_per_event=...
 * </pre>
 */
public final class EventTimeOrderCost {
    private EventTimeOrderCost() {}

    static List<String> measure(
            Configuration conf, JobSettings settings, List<String> lines, Path scratch)
            throws Exception {
        RecordIntake intake = settings.intake(InputFormat.ENVELOPE);
        List<String> sorted = byEventTime(lines, intake);
        List<String> shuffled = new ArrayList<>(sorted);
        Collections.shuffle(shuffled, new Random(1));
        List<String> results = new ArrayList<>();
        results.add(run(conf, intake, "sorted", sorted, scratch));
        results.add(run(conf, intake, "shuffled", shuffled, scratch));
        return results;
    }

    private static String run(
            Configuration conf, RecordIntake intake, String name, List<String> lines, Path scratch)
            throws Exception {
        Path input = scratch.resolve("order-" + name).resolve("events.jsonl");
        Files.createDirectories(input.getParent());
        try (OutputStream out = Files.newOutputStream(input)) {
            for (String line : lines) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        long cpu = RunClock.processCpuNanos();
        long started = System.nanoTime();
        EventTimeOrder.prepare(
                conf,
                input,
                InputFormat.ENVELOPE.cliName(),
                intake,
                conf.get(PersonalizeOptions.MAX_EVENT_BYTES),
                scratch.resolve("order-work-" + name),
                quiet);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (RunClock.processCpuNanos() - cpu) / 1e9;
        return String.format(
                Locale.ROOT,
                "stage=event_time_order file=%s events=%d seconds=%.2f events_per_sec=%.0f"
                        + " cpu_us_per_event=%.1f",
                name,
                lines.size(),
                seconds,
                lines.size() / seconds,
                cpuSeconds * 1e6 / lines.size());
    }

    /**
     * The lines stably sorted by event time in memory, lines that are not events last (to write
     * sorted fixtures; the job itself sorts with {@link EventTimeOrder}).
     */
    public static List<String> byEventTime(List<String> lines, RecordIntake intake) {
        record Timed(long time, String line) {}
        List<Timed> timed = new ArrayList<>(lines.size());
        long now = System.currentTimeMillis();
        for (String line : lines) {
            ParseResult parsed = intake.parse(RawRecord.ofText(line), "bench", now);
            timed.add(
                    new Timed(parsed.isValid() ? parsed.event().occurredAt : Long.MAX_VALUE, line));
        }
        timed.sort(Comparator.comparingLong(Timed::time));
        return timed.stream().map(Timed::line).toList();
    }
}
