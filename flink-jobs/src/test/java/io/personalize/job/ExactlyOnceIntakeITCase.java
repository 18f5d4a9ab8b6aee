package io.personalize.job;

import static io.personalize.job.EnvelopeLines.MINUTE;
import static io.personalize.job.EnvelopeLines.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.testing.FailOnceAfterCheckpoint;
import io.personalize.job.testing.TestConfig;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
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
        Set<String> validIds = new HashSet<>();
        for (int i = 0; i < VALID_EVENTS; i++) {
            String id = "e-" + i;
            validIds.add(id);
            lines.add(
                    EnvelopeLines.productView(
                            id, "c-" + (i % 97), T0.plus(MINUTE.multipliedBy(i)), "p-" + (i % 13)));
            if (i % (VALID_EVENTS / MALFORMED_ROUNDS) == 0) {
                lines.addAll(EnvelopeLines.malformed("bad-" + i));
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
        long malformedCount = (long) MALFORMED_ROUNDS * EnvelopeLines.malformed("x").size();
        Path input = tmp.resolve("events.jsonl");
        Files.write(input, lines);

        CatalogSettings catalog = CatalogSettings.localSqlite(tmp.resolve("warehouse"), "test");
        Configuration conf =
                TestConfig.of(
                        "personalize.checkpoint.interval=200 ms",
                        "personalize.restart.attempts=2",
                        "personalize.restart.delay=100 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);

        FileSource<String> source =
                FileSource.forRecordStreamFormat(
                                new TextLineInputFormat(),
                                new org.apache.flink.core.fs.Path(input.toUri()))
                        .build();
        DataStream<String> records =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "events file")
                        .uid("source-files")
                        .map(new FailOnceAfterCheckpoint<String>("intake", VALID_EVENTS / 2, 2))
                        .returns(String.class)
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
        assertThat(letters.stream().map(r -> r.getField("dead_letter_id")).distinct().count())
                .as("dead letters of distinct records have distinct ids")
                .isEqualTo(EnvelopeLines.malformed("x").size() * (long) MALFORMED_ROUNDS);
        assertThat(TableReader.countBy(deadLetters, "reason"))
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
