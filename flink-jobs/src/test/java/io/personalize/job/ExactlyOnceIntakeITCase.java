package io.personalize.job;

import static io.personalize.job.EnvelopeLines.MINUTE;
import static io.personalize.job.EnvelopeLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.RawRecord;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.testing.FailOnceAfterCheckpoint;
import io.personalize.job.testing.TestConfig;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backbone on a real MiniCluster with real Iceberg tables in an SQLite JDBC catalog: a failure
 * injected part-way, after a checkpoint committed, loses nothing and duplicates nothing.
 */
class ExactlyOnceIntakeITCase {
    private static final int VALID_EVENTS = 3_000;
    private static final int RESENT_EVENTS = 50;
    private static final int MALFORMED_ROUNDS = 20;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    @Test
    void everyValidEventLandsOnceAndEveryInvalidOneIsDeadLetteredOnceDespiteAFailure()
            throws Exception {
        List<String> lines = new ArrayList<>();
        Set<Integer> badLines = new HashSet<>();
        Set<String> validIds = new HashSet<>();
        for (int i = 0; i < VALID_EVENTS; i++) {
            String id = "e-" + i;
            validIds.add(id);
            lines.add(
                    EnvelopeLines.productView(
                            id, "c-" + (i % 97), T0.plus(MINUTE.multipliedBy(i)), "p-" + (i % 13)));
            if (i % (VALID_EVENTS / MALFORMED_ROUNDS) == 0) {
                for (String bad : EnvelopeLines.malformed("bad-" + i)) {
                    badLines.add(lines.size());
                    lines.add(bad);
                }
                // the same records again and again: each one a dead letter of its own
                for (String same : List.of("", "", "not json")) {
                    badLines.add(lines.size());
                    lines.add(same);
                }
            }
        }
        for (int i = 0; i < RESENT_EVENTS; i++) {
            // Re-sent within the de-duplication horizon (event time) of the original.
            int original = VALID_EVENTS - 1 - i * 3;
            lines.add(
                    EnvelopeLines.productView(
                            "e-" + original,
                            "c-" + (original % 97),
                            T0.plus(MINUTE.multipliedBy(original)),
                            "p-" + (original % 13)));
        }
        long malformedCount = badLines.size();
        Path input = tmp.resolve("events.jsonl");
        Files.write(input, lines);
        Set<String> expectedLetterIds = new HashSet<>();
        long offset = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (badLines.contains(i)) {
                expectedLetterIds.add(
                        DeadLetters.positionalId("events.jsonl", "events.jsonl@" + offset));
            }
            offset += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
        }

        CatalogSettings catalog = CatalogSettings.localSqlite(tmp.resolve("warehouse"), "test");
        Configuration conf =
                TestConfig.of(
                        "personalize.checkpoint.interval=200 ms",
                        "personalize.restart.attempts=2",
                        "personalize.restart.delay=100 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);

        FileSource<RawRecord> source =
                FileInputs.source(input, null, EnvelopeParser.DEFAULT_MAX_BYTES);
        DataStream<RawRecord> records =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "events file")
                        .uid("source-files")
                        .map(new FailOnceAfterCheckpoint<RawRecord>("intake", VALID_EVENTS / 2, 2))
                        .returns(RawRecord.class)
                        .uid("inject-failure")
                        .name("Inject one failure");
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        PersonalizationPipeline.build(
                List.of(new PipelineInput("files", records, InputFormat.ENVELOPE, "events.jsonl")),
                new IcebergPipelineSinks(catalog, settings),
                settings);

        env.execute("exactly-once intake");

        assertThat(FailOnceAfterCheckpoint.failed("intake")).isTrue();
        assertThat(FailOnceAfterCheckpoint.checkpointsBeforeFailure("intake")).isPositive();
        Catalog loaded = catalog.catalogLoader().loadCatalog();
        Table events = loaded.loadTable(Tables.EVENTS.identifier(catalog.icebergNamespace()));
        Table deadLetters =
                loaded.loadTable(Tables.DEAD_LETTERS.identifier(catalog.icebergNamespace()));

        List<String> eventIds =
                TableReader.readAll(events, "event_id").stream()
                        .map(row -> (String) row.getField("event_id"))
                        .collect(Collectors.toList());
        assertThat(eventIds).hasSize(VALID_EVENTS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(eventIds)).isEqualTo(validIds);

        List<Record> letters = TableReader.readAll(deadLetters);
        assertThat(letters).hasSize((int) malformedCount);
        assertThat(letters.stream().map(r -> (String) r.getField("dead_letter_id")).toList())
                .as("every bad line, also a repeated one, has the id of its byte offset")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expectedLetterIds);
        Map<String, Long> byReason = TableReader.countBy(deadLetters, "reason");
        assertThat(byReason.remove("empty")).isEqualTo(2L * MALFORMED_ROUNDS);
        assertThat(byReason.get("malformed_json")).isEqualTo(2L * MALFORMED_ROUNDS);
        byReason.put("malformed_json", (long) MALFORMED_ROUNDS);
        assertThat(byReason)
                .containsOnlyKeys(
                        "malformed_json",
                        "missing_field",
                        "unknown_event_type",
                        "bad_timestamp",
                        "missing_identity",
                        "invalid_price")
                .allSatisfy(
                        (reason, count) -> assertThat(count).isEqualTo((long) MALFORMED_ROUNDS));
    }
}
