package io.personalize.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RawRecord;
import io.personalize.core.events.RecordIntake;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.testing.TestConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time-ordered copy of a bounded input: a shuffled input of two files, several times larger
 * than the sorter's managed memory (so the sort spills to disk), with records that are not events
 * (malformed JSON, invalid UTF-8, an oversized line, text with tabs and backslashes), comes back
 * record for record as read from the files, positions included, in event-time order with the
 * records that are not events first; a second start reuses the copy, a changed input replaces it.
 */
class EventTimeOrderTest {
    private static final int EVENTS = 60_000;

    @TempDir Path tmp;

    @Test
    void aShuffledInputComesBackRecordForRecordInEventTimeOrder() throws Exception {
        Path input = tmp.resolve("input");
        Files.createDirectories(input);
        List<String> lines = new ArrayList<>();
        Iterator<String> generated =
                new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(11)).lines(EVENTS);
        generated.forEachRemaining(lines::add);
        lines.add(
                EnvelopeLines.productView("tab\tand\\backslash", "c-tab", EnvelopeLines.T0, "p-1")
                        .replace("c-tab", "c\\ttab"));
        lines.add("x".repeat(100_000));
        Collections.shuffle(lines, new Random(5));
        int half = lines.size() / 2;
        write(input.resolve("a.jsonl"), lines.subList(0, half), null);
        // invalid UTF-8 in the middle of the second file
        write(
                input.resolve("b.jsonl"),
                lines.subList(half, lines.size()),
                new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});

        Configuration conf =
                TestConfig.of("taskmanager.memory.managed.size=4m", "parallelism.default=2");
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        RecordIntake intake = settings.intake(InputFormat.ENVELOPE);
        int maxBytes = conf.get(PersonalizeOptions.MAX_EVENT_BYTES);
        Path work = tmp.resolve("work");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        Path copy = EventTimeOrder.prepare(conf, input, "envelope", intake, maxBytes, work, out);
        assertThat(Files.size(input.resolve("a.jsonl")) + Files.size(input.resolve("b.jsonl")))
                .as("the input is larger than the sorter's 4 MB of managed memory")
                .isGreaterThan(3L * 4 * 1024 * 1024);

        List<RawRecord> ordered = read(conf, EventTimeOrder.source(copy, maxBytes));
        List<RawRecord> asRead = read(conf, FileInputs.source(input, null, maxBytes));
        assertThat(ordered).hasSize(EVENTS + 3).containsExactlyInAnyOrderElementsOf(asRead);
        assertThat(ordered).isNotEqualTo(asRead);
        assertThat(ordered)
                .anySatisfy(r -> assertThat(r.truncated).isTrue())
                .anySatisfy(r -> assertThat(r.malformedEncoding).isTrue())
                .anySatisfy(r -> assertThat(r.text).contains("\t").contains("\\"));

        long now = System.currentTimeMillis();
        long previous = Long.MIN_VALUE;
        long previousHash = Long.MIN_VALUE;
        int events = 0;
        for (RawRecord record : ordered) {
            ParseResult parsed = intake.parse(record, "input", now);
            long time = parsed.isValid() ? parsed.event().occurredAt : Long.MIN_VALUE;
            assertThat(time).as("event time of %s", record).isGreaterThanOrEqualTo(previous);
            long hash = EventTimeOrder.fnv1a(record.text);
            if (time == previous) {
                assertThat(hash)
                        .as("a tie is settled by the text's hash")
                        .isGreaterThanOrEqualTo(previousHash);
            }
            previous = time;
            previousHash = hash;
            events += parsed.isValid() ? 1 : 0;
        }
        assertThat(events).as("valid events among the records").isGreaterThan(EVENTS * 9 / 10);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains(String.format("%,d records sorted", EVENTS + 3));

        // A restart finds the complete copy; a changed input gets a new one and the old one goes.
        assertThat(EventTimeOrder.prepare(conf, input, "envelope", intake, maxBytes, work, out))
                .isEqualTo(copy);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("reusing " + copy);
        Files.setLastModifiedTime(
                input.resolve("a.jsonl"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Path changed = EventTimeOrder.prepare(conf, input, "envelope", intake, maxBytes, work, out);
        assertThat(changed).isNotEqualTo(copy).exists();
        assertThat(copy).doesNotExist();
    }

    private static void write(Path file, List<String> lines, byte[] extraLine) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            int middle = lines.size() / 2;
            for (int i = 0; i < lines.size(); i++) {
                if (i == middle && extraLine != null) {
                    out.write(extraLine);
                    out.write('\n');
                }
                out.write(lines.get(i).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
    }

    private static List<RawRecord> read(Configuration conf, FileSource<RawRecord> source)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        List<RawRecord> records = new ArrayList<>();
        try (CloseableIterator<RawRecord> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "read")
                        .executeAndCollect()) {
            it.forEachRemaining(records::add);
        }
        return records;
    }
}
