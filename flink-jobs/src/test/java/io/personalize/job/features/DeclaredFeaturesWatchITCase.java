package io.personalize.job.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.testing.Await;
import io.personalize.job.testing.TestConfig;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job, with real Iceberg tables (an SQLite JDBC catalog), watching its declared-features
 * and segment definitions files while it runs: a windowed aggregate added to the features file and
 * then a segment on it (written right after, so either may be read first) take in the customers
 * whose events after the change match, counting from the change only; a features file that does not
 * compile and one that removes a feature serving segments read are refused with a dead letter each,
 * and the features before keep serving.
 */
class DeclaredFeaturesWatchITCase {
    private static final Instant T = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static final String FEATURES_V1 =
            """
            version: 1
            features:
              - name: contract_type
                kind: profile
                type: string
                path: attributes.contract_type
            """;

    private static final String FEATURES_V2 =
            FEATURES_V1.replace("version: 1", "version: 2")
                    + """
                      - name: support_calls_7d
                        kind: window
                        aggregate: count
                        where: event.event_type == 'custom' && event.custom.type == 'support_call'
                        window: 7d
                    """;

    /** Valid YAML whose derived feature calls a function CEL does not have. */
    private static final String FEATURES_V3_INVALID =
            FEATURES_V2.replace("version: 2", "version: 3")
                    + """
                      - name: call_tier
                        kind: derived
                        type: string
                        expression: "no_such_function(support_calls_7d)"
                    """;

    /** Valid on its own, but drops contract_type, which the serving segments read. */
    private static final String FEATURES_V4_WITHOUT_CONTRACT =
            """
            version: 4
            features:
              - name: support_calls_7d
                kind: window
                aggregate: count
                where: event.event_type == 'custom' && event.custom.type == 'support_call'
                window: 7d
            """;

    private static final String SEGMENTS_V1 =
            """
            version: 1
            segments:
              - id: monthly
                name: Monthly contract
                rule: contract_type == 'month_to_month'
            """;

    private static final String SEGMENTS_V2 =
            SEGMENTS_V1.replace("version: 1", "version: 2")
                    + """
                      - id: two_year
                        name: Two-year contract
                        rule: contract_type == 'two_year'
                      - id: unhappy_monthly
                        name: Unhappy monthly
                        rule: support_calls_7d >= 2 && contract_type == 'month_to_month'
                    """;

    private static final String FLOWS =
            """
            version: 1
            flows:
              - id: welcome_monthly
                trigger: {segment_entered: monthly}
                endpoint: esp
                template: tpl_welcome
            """;

    @TempDir Path tmp;

    private CatalogSettings catalog;

    @Test
    void featuresChangedWhileRunningServeEveryStageAndBadChangesAreRefused() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        Path features = tmp.resolve("features.yaml");
        Path segments = tmp.resolve("segments.yaml");
        Path flows = tmp.resolve("flows.yaml");
        Files.writeString(features, FEATURES_V1);
        Files.writeString(segments, SEGMENTS_V1);
        Files.writeString(flows, FLOWS);
        drop(
                input,
                "1",
                profile("p1", "c1", T, "month_to_month"),
                profile("p2", "c2", T, "two_year"),
                call("s0", "c1", T.plus(HOUR))); // before the window is declared: not counted
        Configuration conf =
                TestConfig.of(
                        "personalize.features.declared=" + features,
                        "personalize.features.declared-watch=true",
                        "personalize.features.declared-poll-interval=200 ms",
                        "personalize.segments.definitions=" + segments,
                        "personalize.segments.watch=true",
                        "personalize.segments.poll-interval=200 ms",
                        "personalize.flows.definitions=" + flows,
                        "personalize.decisions.frequency-caps=none",
                        "personalize.decisions.quiet-hours=none",
                        "personalize.checkpoint.interval=200 ms",
                        "personalize.watermark.idleness=200 ms",
                        "personalize.restart.attempts=0",
                        "parallelism.default=2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        catalog = CatalogSettings.localSqlite(tmp.resolve("warehouse"), "p");
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, Duration.ofMillis(200))),
                new IcebergPipelineSinks(catalog, settings),
                settings);
        JobClient job = env.executeAsync("declared features watched");
        try {
            await(() -> entered("monthly").contains("c1 1"));

            // (1) a window, then a segment on it: the segment waits for the features if read first
            Files.writeString(features, FEATURES_V2);
            Files.writeString(segments, SEGMENTS_V2);
            await(() -> entered("two_year").contains("c2 2"));
            drop(
                    input,
                    "2",
                    call("s1", "c1", T.plus(HOUR.multipliedBy(2))),
                    call("s2", "c1", T.plus(HOUR.multipliedBy(3))),
                    call("s3", "c2", T.plus(HOUR.multipliedBy(2))),
                    call("s4", "c2", T.plus(HOUR.multipliedBy(3))));
            await(() -> entered("unhappy_monthly").contains("c1 2"));
            await(() -> "{support_calls_7d=2.0}".equals(declared("c2", "declared_numbers")));
            // 2 counts the calls since the change; 3 would have counted the call before it too
            await(
                    () ->
                            List.of("{support_calls_7d=2.0}", "{support_calls_7d=3.0}")
                                    .contains(declared("c1", "declared_numbers")));
            Object c1CallsAfterTheChange = declared("c1", "declared_numbers");

            // (2) a file that does not compile: refused, the window keeps counting
            Files.writeString(features, FEATURES_V3_INVALID);
            await(() -> refused().size() == 1);
            drop(input, "3", call("s5", "c1", T.plus(HOUR.multipliedBy(4))));
            await(() -> "{support_calls_7d=3.0}".equals(declared("c1", "declared_numbers")));
            List<Record> invalid = refused();

            // (3) a file that drops a feature the serving segments read: refused
            Files.writeString(features, FEATURES_V4_WITHOUT_CONTRACT);
            await(() -> refused().size() == 2);
            drop(input, "4", call("s6", "c1", T.plus(HOUR.multipliedBy(5))));
            await(() -> "{support_calls_7d=4.0}".equals(declared("c1", "declared_numbers")));

            assertThat(c1CallsAfterTheChange)
                    .as("only the calls after the window was declared count (no backfill)")
                    .isEqualTo("{support_calls_7d=2.0}");
            assertThat(entered("unhappy_monthly"))
                    .as("the two-year customer with as many calls stays out")
                    .containsExactly("c1 2");
            assertThat(invalid)
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getField("stage")).isEqualTo("features");
                                assertThat((String) d.getField("message"))
                                        .contains("call_tier", "no_such_function")
                                        .containsPattern("\\d+:\\d+: feature 'call_tier'");
                            });
            assertThat(refused().get(1).getField("message").toString())
                    .contains("segment 'monthly'", "segment 'unhappy_monthly'", "contract_type");
            assertThat(declared("c1", "declared_strings"))
                    .as("contract_type keeps serving after the refused removal")
                    .isEqualTo("{contract_type=month_to_month}");
        } finally {
            job.cancel().get();
            try {
                // until the job has stopped writing into the temporary folder JUnit deletes
                job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
            } catch (ExecutionException cancelled) {
                // the cancellation itself
            }
        }
    }

    /** "customer ruleVersion" of each entry into {@code segment}. */
    private List<String> entered(String segment) {
        return rows(Tables.SEGMENT_CHANGES).stream()
                .filter(r -> segment.equals(r.getField("segment_id")))
                .filter(r -> "entered".equals(r.getField("change")))
                .map(r -> r.getField("customer_id") + " " + r.getField("rule_version"))
                .toList();
    }

    /** A declared map column of the customer's {@code customer_features} row, as text. */
    private String declared(String customer, String column) {
        return rows(Tables.CUSTOMER_FEATURES).stream()
                .filter(r -> ("c:" + customer).equals(r.getField("customer_key")))
                .findFirst()
                .map(r -> String.valueOf(r.getField(column)))
                .orElse(null);
    }

    /** The refused declared-features files, oldest first. */
    private List<Record> refused() {
        return rows(Tables.DEAD_LETTERS).stream()
                .filter(r -> "invalid_declared_features".equals(r.getField("reason")))
                .sorted(
                        java.util.Comparator.comparing(
                                r -> String.valueOf(r.getField("ingested_at"))))
                .toList();
    }

    private List<Record> rows(TableDefinition table) {
        try {
            return TableReader.readAll(
                    catalog.catalogLoader()
                            .loadCatalog()
                            .loadTable(table.identifier(catalog.icebergNamespace())));
        } catch (org.apache.iceberg.exceptions.NoSuchTableException e) {
            return List.of();
        }
    }

    private void await(BooleanSupplier condition) throws InterruptedException {
        Await.until(
                WAIT,
                condition,
                () ->
                        "segment changes "
                                + rows(Tables.SEGMENT_CHANGES).stream()
                                        .map(
                                                r ->
                                                        r.getField("customer_id")
                                                                + " "
                                                                + r.getField("segment_id")
                                                                + " "
                                                                + r.getField("change")
                                                                + " "
                                                                + r.getField("rule_version"))
                                        .toList()
                                + ", features "
                                + Map.of(
                                        "c1", String.valueOf(declared("c1", "declared_numbers")),
                                        "c2", String.valueOf(declared("c2", "declared_numbers")))
                                + ", dead letters "
                                + rows(Tables.DEAD_LETTERS).stream()
                                        .map(
                                                r ->
                                                        r.getField("reason")
                                                                + ": "
                                                                + r.getField("message"))
                                        .toList());
    }

    private static String profile(String id, String customer, Instant at, String contract) {
        return "{\"event_id\":\""
                + id
                + "\",\"event_type\":\"profile_updated\",\"occurred_at\":\""
                + at
                + "\",\"customer_id\":\""
                + customer
                + "\",\"profile\":{\"attributes\":{\"contract_type\":\""
                + contract
                + "\"}}}";
    }

    private static String call(String id, String customer, Instant at) {
        return "{\"event_id\":\""
                + id
                + "\",\"event_type\":\"custom\",\"occurred_at\":\""
                + at
                + "\",\"customer_id\":\""
                + customer
                + "\",\"custom\":{\"type\":\"support_call\"}}";
    }

    /** Writes a file the monitored source picks up whole (hidden until renamed). */
    private static void drop(Path dir, String name, String... lines) throws Exception {
        Path hidden = dir.resolve("." + name);
        Files.writeString(hidden, String.join("\n", lines) + "\n");
        Files.move(hidden, dir.resolve(name + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
    }
}
