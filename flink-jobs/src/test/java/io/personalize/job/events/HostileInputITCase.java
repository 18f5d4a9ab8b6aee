package io.personalize.job.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.events.RawRecord;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.testing.TestConfig;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input through the real job (file source, intake, the whole pipeline, Iceberg tables):
 * more than 10,000 records of more than 15 kinds, among them a 50 MB line, nesting 10,000 deep,
 * invalid UTF-8, NUL bytes, duplicate keys, NaN and 1e309. Every record is an event or a dead
 * letter with the reason its kind calls for, under the id of its byte offset; no stored payload is
 * unbounded. The run's time and heap peak are printed beside a clean run's (a figure, not an
 * assertion: the machine is shared).
 */
class HostileInputITCase {
    private static final int PER_KIND = 500;
    private static final String FILE = "hostile.jsonl";
    private static final int MAX_BYTES = 64 * 1024;
    private static final Instant T0 = EnvelopeLines.T0;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    /**
     * One kind of hostile record: how to make its {@code i}-th instance and what it must become.
     */
    private record Kind(String name, IntFunction<byte[]> record, String reason) {
        boolean isEvent() {
            return reason == null;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String head(String kind, int i, String type) {
        return "{\"event_id\":\""
                + kind
                + "-"
                + i
                + "\",\"event_type\":\""
                + type
                + "\",\"occurred_at\":\""
                + T0.plusSeconds(i)
                + "\",";
    }

    private static String view(String kind, int i) {
        return head(kind, i, "product_view") + "\"customer_id\":\"c-" + (i % 50) + "\",";
    }

    private static byte[] withBytes(String before, byte[] middle, String after) {
        byte[] a = utf8(before);
        byte[] c = utf8(after);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }

    static List<Kind> kinds() {
        String product = "\"product\":{\"product_id\":\"p\",";
        return List.of(
                new Kind(
                        "deep-nesting",
                        i ->
                                utf8(
                                        view("deep", i)
                                                + "\"x\":"
                                                + "[".repeat(10_000)
                                                + "]".repeat(10_000)
                                                + "}"),
                        "malformed_json"),
                new Kind(
                        "nul-bytes",
                        i -> withBytes(view("nul", i) + "\"x\":\"a", new byte[] {0, 0}, "b\"}"),
                        "malformed_json"),
                new Kind(
                        "duplicate-keys",
                        i ->
                                utf8(
                                        view("dup", i)
                                                + "\"customer_id\":\"other\","
                                                + product
                                                + "\"price\":1}}"),
                        "malformed_json"),
                new Kind(
                        "nan-literal",
                        i -> utf8(view("nan", i) + product + "\"price\":NaN}}"),
                        "malformed_json"),
                new Kind(
                        "infinity-string",
                        i -> utf8(view("inf", i) + product + "\"price\":\"Infinity\"}}"),
                        "invalid_price"),
                new Kind(
                        "1e309",
                        i -> utf8(view("e309", i) + product + "\"price\":1e309}}"),
                        "invalid_price"),
                new Kind(
                        "1e308-times-10",
                        i -> utf8(view("e308", i) + product + "\"price\":1e308,\"quantity\":10}}"),
                        "invalid_price"),
                new Kind(
                        "invalid-utf8-id",
                        i ->
                                withBytes(
                                        head("utf", i, "product_view") + "\"customer_id\":\"c",
                                        new byte[] {(byte) 0xC3, (byte) (0x28 + i % 3)},
                                        "\"," + product + "\"price\":1}}"),
                        "malformed_encoding"),
                new Kind(
                        "overlong-utf8",
                        i ->
                                withBytes(
                                        view("ovl", i) + "\"x\":\"",
                                        new byte[] {(byte) 0xC0, (byte) 0xAF},
                                        "\"," + product + "\"price\":1}}"),
                        "malformed_encoding"),
                new Kind(
                        "encoded-surrogate",
                        i ->
                                withBytes(
                                        view("sur", i) + "\"x\":\"",
                                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                                        "\"," + product + "\"price\":1}}"),
                        "malformed_encoding"),
                new Kind(
                        "overlong-number",
                        i -> utf8(view("num", i) + "\"x\":" + "9".repeat(5_000) + "}"),
                        "malformed_json"),
                new Kind(
                        "wrong-type-id",
                        i -> utf8(head("wt", i, "page_view") + "\"customer_id\":true}"),
                        "wrong_type"),
                new Kind(
                        "control-char-id",
                        i -> utf8(head("cc", i, "page_view") + "\"customer_id\":\"c\\u0007\"}"),
                        "wrong_type"),
                new Kind(
                        "epoch-overflow",
                        i ->
                                utf8(
                                        "{\"event_id\":\"eo-"
                                                + i
                                                + "\",\"event_type\":\"page_view\",\"customer_id\":\"c\","
                                                + "\"occurred_at\":"
                                                + "18446744073709551616"
                                                + i
                                                + "}"),
                        "bad_timestamp"),
                new Kind(
                        "year-9999",
                        i ->
                                utf8(
                                        "{\"event_id\":\"y-"
                                                + i
                                                + "\",\"event_type\":\"page_view\",\"customer_id\":\"c\","
                                                + "\"occurred_at\":\"+999999999-01-01T00:00:00Z\"}"),
                        "bad_timestamp"),
                new Kind(
                        "bom-mid-file",
                        i -> utf8("\uFEFF" + view("bom", i) + product + "\"price\":1}}"),
                        "malformed_json"),
                new Kind("empty-line", i -> new byte[0], "empty"),
                new Kind(
                        "just-too-large",
                        i -> utf8(view("big", i) + "\"x\":\"" + "y".repeat(MAX_BYTES) + "\"}"),
                        "too_large"),
                new Kind(
                        "truncated",
                        i -> utf8(view("cut", i) + product + "\"pri"),
                        "malformed_json"),
                // hostile but valid: they must land in events
                new Kind(
                        "numeric-id",
                        i ->
                                utf8(
                                        head("nid", i, "page_view")
                                                + "\"customer_id\":"
                                                + (1000 + i % 50)
                                                + "}"),
                        null),
                new Kind(
                        "huge-array",
                        i ->
                                utf8(
                                        view("arr", i)
                                                + product
                                                + "\"price\":1},\"x\":["
                                                + "0,".repeat(8_000)
                                                + "0]}"),
                        null),
                new Kind("crlf", i -> utf8(view("crlf", i) + product + "\"price\":2.5}}\r"), null));
    }

    private record Written(
            Map<String, String> reasonByLetterId, Set<String> eventIds, int records) {}

    /** Writes the hostile file, the 50 MB line included, and what each line must become. */
    private Written writeHostile(Path file) throws IOException {
        Map<String, String> reasons = new HashMap<>();
        Set<String> eventIds = new HashSet<>();
        List<Kind> kinds = kinds();
        long offset = 0;
        int records = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < PER_KIND; i++) {
                for (Kind kind : kinds) {
                    byte[] line = kind.record().apply(i);
                    if (kind.isEvent()) {
                        eventIds.add(eventId(line));
                    } else {
                        reasons.put(
                                DeadLetters.positionalId(FILE, FILE + "@" + offset), kind.reason());
                    }
                    out.write(line);
                    out.write('\n');
                    offset += line.length + 1;
                    records++;
                }
                if (i == PER_KIND / 2) {
                    reasons.put(DeadLetters.positionalId(FILE, FILE + "@" + offset), "too_large");
                    byte[] chunk = utf8("{\"a\":\"b@c.de\",".repeat(1024)); // 14 KiB
                    long size = 0;
                    while (size < 50L * 1024 * 1024) {
                        out.write(chunk);
                        size += chunk.length;
                    }
                    out.write('\n');
                    offset += size + 1;
                    records++;
                }
            }
        }
        return new Written(reasons, eventIds, records);
    }

    private static String eventId(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        int start = text.indexOf("\"event_id\":\"") + 12;
        return text.substring(start, text.indexOf('"', start));
    }

    private static int writeClean(Path file, int count) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(
                    EnvelopeLines.productView(
                            "clean-" + i, "c-" + (i % 50), T0.plusSeconds(i), "p-" + (i % 13)));
        }
        Files.write(file, lines);
        return count;
    }

    /** The run's wall time and the highest used heap seen while it ran. */
    private record Run(long millis, long peakHeapBytes, CatalogSettings catalog) {}

    private Run run(Path input, String name) throws Exception {
        CatalogSettings catalog =
                CatalogSettings.localSqlite(tmp.resolve(name + "-warehouse"), "test");
        Configuration conf = TestConfig.of("personalize.checkpoint.interval=1 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, null)),
                new IcebergPipelineSinks(catalog, settings),
                settings);
        AtomicLong peak = new AtomicLong();
        Thread sampler =
                new Thread(
                        () -> {
                            var memory = ManagementFactory.getMemoryMXBean();
                            while (!Thread.currentThread().isInterrupted()) {
                                peak.accumulateAndGet(
                                        memory.getHeapMemoryUsage().getUsed(), Math::max);
                                try {
                                    Thread.sleep(5);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
        System.gc();
        sampler.start();
        long started = System.nanoTime();
        env.execute(name);
        long millis = (System.nanoTime() - started) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        return new Run(millis, peak.get(), catalog);
    }

    @Test
    void everyHostileRecordIsAnEventOrADeadLetterWithItsReasonAndNoStoredPayloadIsUnbounded()
            throws Exception {
        Path hostile = tmp.resolve(FILE);
        Written written = writeHostile(hostile);
        Path clean = tmp.resolve("clean.jsonl");
        writeClean(clean, written.records());
        assertThat(written.records()).isGreaterThanOrEqualTo(10_000);
        assertThat(kinds()).hasSizeGreaterThanOrEqualTo(15);

        run(clean, "warm-up"); // the first job in a JVM pays for class loading and JIT
        Run cleanRun = run(clean, "clean");
        Run hostileRun = run(hostile, "hostile");
        System.out.printf(
                "hostile input: %d records of %d kinds in %d ms (clean run of %d: %d ms);"
                        + " peak used heap %d MiB (clean %d MiB)%n",
                written.records(),
                kinds().size() + 1,
                hostileRun.millis(),
                written.records(),
                cleanRun.millis(),
                hostileRun.peakHeapBytes() >> 20,
                cleanRun.peakHeapBytes() >> 20);

        Catalog catalog = hostileRun.catalog().catalogLoader().loadCatalog();
        String namespace = hostileRun.catalog().icebergNamespace().toString();
        Table events =
                catalog.loadTable(
                        Tables.EVENTS.identifier(hostileRun.catalog().icebergNamespace()));
        Table letters =
                catalog.loadTable(
                        Tables.DEAD_LETTERS.identifier(hostileRun.catalog().icebergNamespace()));
        List<String> eventIds =
                TableReader.readAll(events, "event_id").stream()
                        .map(r -> (String) r.getField("event_id"))
                        .toList();
        assertThat(eventIds).doesNotHaveDuplicates();
        assertThat(new HashSet<>(eventIds)).isEqualTo(written.eventIds());

        Map<String, String> reasonById = new TreeMap<>();
        long largestPayload = 0;
        for (Record letter : TableReader.readAll(letters)) {
            String id = (String) letter.getField("dead_letter_id");
            assertThat(reasonById.put(id, (String) letter.getField("reason")))
                    .as("dead_letter_id %s is unique", id)
                    .isNull();
            String payload = (String) letter.getField("raw_payload");
            int length = payload == null ? 0 : payload.length();
            if ("too_large".equals(letter.getField("reason"))) {
                assertThat(length).isLessThanOrEqualTo(RawRecord.PREFIX_BYTES);
                assertThat(payload).doesNotContain("b@c.de");
            }
            largestPayload = Math.max(largestPayload, length);
        }
        assertThat(reasonById).isEqualTo(new TreeMap<>(written.reasonByLetterId()));
        assertThat(largestPayload).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(namespace).isNotBlank();

        // Time and heap are printed above, not asserted: on a shared machine a used-heap peak
        // follows the garbage collector more than the reader. That a 50 MB line is never held
        // whole is asserted where it can be measured exactly: LineReaderTest counts the bytes the
        // reader allocates for it (under 2 MB).
    }
}
