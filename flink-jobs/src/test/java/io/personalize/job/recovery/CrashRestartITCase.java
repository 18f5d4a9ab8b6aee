package io.personalize.job.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.job.demo.DemoEndpoint;
import io.personalize.job.testing.JobProcess;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/personalize run} as a user runs it, in a JVM of its own, killed with {@code kill -9}
 * and started again with the same command: the tables end exactly as after an uninterrupted run.
 * Also a start without state into tables that hold rows (refused; {@code --fresh --overwrite}
 * starts over) and a resume from an older checkpoint than the last commit (the later commits are
 * rolled back).
 */
class CrashRestartITCase {
    private static final int EVENTS = 12_000;
    private static final String SECRET = "crash-restart-test-secret-0123";
    private static final long MINUTES = 60_000;

    /** Ids that must be unique in each table after any number of restarts. */
    private static final Map<TableDefinition, Function<Record, String>> IDS =
            Map.of(
                    Tables.EVENTS, r -> (String) r.getField("event_id"),
                    Tables.DEAD_LETTERS, r -> (String) r.getField("dead_letter_id"),
                    Tables.SEGMENT_CHANGES, r -> (String) r.getField("change_id"),
                    Tables.DECISIONS, r -> r.getField("decision_id") + "/" + r.getField("outcome"),
                    Tables.CUSTOMER_FEATURES, r -> (String) r.getField("customer_key"));

    @TempDir static Path shared;
    private static Path input;
    private static DemoEndpoint endpoint;
    private static Path endpoints;
    private static Map<String, Long> uninterrupted;
    private static java.util.Set<String> referenceFeatureKeys;

    @TempDir Path tmp;

    @BeforeAll
    static void uninterruptedRun() throws Exception {
        input = shared.resolve("events.jsonl");
        new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(7)).writeTo(input, EVENTS);
        String secret = "whsec_Y3Jhc2gtcmVzdGFydC1lbmRwb2ludC1zZWNyZXQ=";
        Path secretFile = shared.resolve("endpoint-secret");
        Files.writeString(secretFile, secret);
        endpoint = DemoEndpoint.start(secret, shared.resolve("deliveries.jsonl"));
        endpoints = shared.resolve("endpoints.yaml");
        StringBuilder yaml = new StringBuilder("endpoints:\n");
        for (String id :
                new TreeSet<>(
                        FlowDefinitions.defaults().flows().stream()
                                .map(f -> f.endpoint())
                                .toList())) {
            yaml.append("  ").append(id).append(":\n    url: ").append(endpoint.url());
            yaml.append("\n    secret-file: ").append(secretFile).append("\n    timeout: 5s\n");
        }
        Files.writeString(endpoints, yaml);

        Path reference = shared.resolve("reference");
        try (JobProcess run = start(reference, "run", "--config", config(reference).toString())) {
            assertThat(run.waitFor(10, TimeUnit.MINUTES)).as(run.output()).isZero();
            assertThat(run.output())
                    .as("a bounded run ends without stack traces, with its summary")
                    .doesNotContain("\tat ")
                    .contains("== personalize run: finished in");
        }
        uninterrupted = rowCounts(catalog(reference));
        referenceFeatureKeys = featureKeys(catalog(reference));
        assertThat(uninterrupted.get("events")).isGreaterThan(EVENTS / 2);
        assertThat(uninterrupted.get("decisions")).isPositive();
    }

    @Test
    void killedThreeTimesAndRestartedWithTheSameCommandGivesTheTablesOfAnUninterruptedRun()
            throws Exception {
        Path dir = tmp.resolve("killed");
        String[] command = {"run", "--config", config(dir).toString()};
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        for (int kill = 0; kill < 3; kill++) {
            try (JobProcess run = start(dir, command)) {
                awaitNewCheckpoint(dir, run);
                Thread.sleep(random.nextInt(2_000));
                run.killHard();
            }
        }
        try (JobProcess run = start(dir, command)) {
            assertThat(run.waitFor(10, TimeUnit.MINUTES)).as(run.output()).isZero();
            assertThat(run.output()).contains("resuming from checkpoint");
        }

        assertTablesEqualTheUninterruptedRun(dir, "kill points from seed " + seed);
    }

    @Test
    void aStartWithoutStateIntoTablesWithRowsIsRefusedAndFreshOverwriteStartsOver()
            throws Exception {
        Path dir = tmp.resolve("stateless");
        Path config = config(dir);
        try (JobProcess run = start(dir, "run", "--config", config.toString())) {
            awaitNewCheckpoint(dir, run);
            awaitCommittedRows(dir, run);
            run.killHard();
        }
        Map<String, Long> afterCrash = rowCounts(catalog(dir));
        deleteRecursively(dir.resolve("state"));

        try (JobProcess refused = start(dir, "run", "--config", config.toString())) {
            assertThat(refused.waitFor(5, TimeUnit.MINUTES)).isEqualTo(2);
            assertThat(refused.output())
                    .contains("already hold this job's rows")
                    .contains("--fresh --overwrite")
                    .doesNotContain("\tat ");
        }
        assertThat(rowCounts(catalog(dir))).isEqualTo(afterCrash);

        try (JobProcess fresh =
                start(dir, "run", "--config", config.toString(), "--fresh", "--overwrite")) {
            assertThat(fresh.waitFor(10, TimeUnit.MINUTES)).as(fresh.output()).isZero();
        }
        assertTablesEqualTheUninterruptedRun(dir, "fresh overwrite");
    }

    @Test
    void aResumeFromAnOlderCheckpointThanTheLastCommitRollsTheTablesBackFirst() throws Exception {
        Path dir = tmp.resolve("older");
        Path config = config(dir);
        try (JobProcess run = start(dir, "run", "--config", config.toString())) {
            awaitNewCheckpoint(dir, run);
            awaitNewCheckpoint(dir, run);
            awaitNewCheckpoint(dir, run);
            run.killHard();
        }
        List<RetainedCheckpoints.Checkpoint> retained = retained(dir);
        assertThat(retained).hasSizeGreaterThanOrEqualTo(2);
        RetainedCheckpoints.Checkpoint older = retained.get(retained.size() - 1);
        assertThat(older.checkpointId()).isLessThan(retained.get(0).checkpointId());

        try (JobProcess resumed =
                start(dir, "run", "--config", config.toString(), "--from", older.path())) {
            assertThat(resumed.waitFor(10, TimeUnit.MINUTES)).as(resumed.output()).isZero();
            assertThat(resumed.output())
                    .contains("resuming from checkpoint " + older.checkpointId());
        }
        assertTablesEqualTheUninterruptedRun(dir, "resumed from checkpoint " + older);
    }

    private static void assertTablesEqualTheUninterruptedRun(Path dir, String run) {
        CatalogSettings catalog = catalog(dir);
        Map<String, Long> counts = rowCounts(catalog);
        String description = run;
        if (!counts.equals(uninterrupted)) {
            // say which customers differ (seen once: one customer_features row more)
            java.util.Set<String> here = featureKeys(catalog);
            java.util.Set<String> onlyHere = new java.util.TreeSet<>(here);
            onlyHere.removeAll(referenceFeatureKeys);
            java.util.Set<String> onlyThere = new java.util.TreeSet<>(referenceFeatureKeys);
            onlyThere.removeAll(here);
            description +=
                    "; customer_features keys only here "
                            + onlyHere
                            + ", only in the uninterrupted run "
                            + onlyThere
                            + ", twice here "
                            + duplicateFeatureKeys(catalog);
        }
        assertThat(counts).as(description).isEqualTo(uninterrupted);
        catalog.withCatalog(
                c -> {
                    IDS.forEach(
                            (table, id) -> {
                                List<String> ids = new ArrayList<>();
                                for (Record r :
                                        TableReader.readAll(
                                                c.loadTable(
                                                        table.identifier(
                                                                catalog.icebergNamespace())))) {
                                    ids.add(id.apply(r));
                                }
                                assertThat(ids)
                                        .as(table.name() + " ids, " + run)
                                        .doesNotHaveDuplicates();
                            });
                    return null;
                });
    }

    /** Keys with more than one row in customer_features (an upsert table: one row per key). */
    private static java.util.Set<String> duplicateFeatureKeys(CatalogSettings catalog) {
        return catalog.withCatalog(
                c -> {
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    java.util.Set<String> twice = new java.util.TreeSet<>();
                    for (Record r :
                            TableReader.readAll(
                                    c.loadTable(
                                            Tables.CUSTOMER_FEATURES.identifier(
                                                    catalog.icebergNamespace())),
                                    "customer_key")) {
                        String key = (String) r.getField("customer_key");
                        if (!seen.add(key)) {
                            twice.add(key);
                        }
                    }
                    return twice;
                });
    }

    private static java.util.Set<String> featureKeys(CatalogSettings catalog) {
        return catalog.withCatalog(
                c -> {
                    java.util.Set<String> keys = new java.util.TreeSet<>();
                    for (Record r :
                            TableReader.readAll(
                                    c.loadTable(
                                            Tables.CUSTOMER_FEATURES.identifier(
                                                    catalog.icebergNamespace())),
                                    "customer_key")) {
                        keys.add((String) r.getField("customer_key"));
                    }
                    return keys;
                });
    }

    private static JobProcess start(Path dir, String... args) throws IOException {
        return JobProcess.start(
                dir, dir.resolve("job.log"), Map.of("PERSONALIZE_HASH_SECRET", SECRET), args);
    }

    /** The job's configuration file for a run whose state and tables live in {@code dir}. */
    private static Path config(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("job.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "personalize.input.path: " + input,
                        "personalize.catalog.uri: jdbc:sqlite:"
                                + dir.resolve("warehouse/catalog.db"),
                        "personalize.catalog.warehouse: " + dir.resolve("warehouse").toUri(),
                        "personalize.delivery.endpoints: " + endpoints,
                        "personalize.state.dir: " + dir.resolve("state"),
                        "personalize.checkpoint.interval: 1 s",
                        "execution.checkpointing.num-retained: 3",
                        "parallelism.default: 2",
                        ""));
        return config;
    }

    private static CatalogSettings catalog(Path dir) {
        return CatalogSettings.localSqlite(dir.resolve("warehouse"), "personalize");
    }

    private static Map<String, Long> rowCounts(CatalogSettings catalog) {
        return catalog.withCatalog(
                c -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (TableDefinition table : Tables.all()) {
                        counts.put(
                                table.name(),
                                TableReader.rowCount(
                                        c.loadTable(table.identifier(catalog.icebergNamespace()))));
                    }
                    return counts;
                });
    }

    private static List<RetainedCheckpoints.Checkpoint> retained(Path dir) throws IOException {
        return RetainedCheckpoints.all(dir.resolve("state/checkpoints").toUri());
    }

    /** Waits until the tables hold rows (a checkpoint's commit went through). */
    private static void awaitCommittedRows(Path dir, JobProcess run) throws Exception {
        long deadline = System.currentTimeMillis() + 3 * MINUTES;
        while (System.currentTimeMillis() < deadline) {
            assertThat(run.isAlive()).as("the job ended early: %s", run.output()).isTrue();
            if (rowCounts(catalog(dir)).values().stream().anyMatch(n -> n > 0)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no rows committed in 3 minutes: " + run.output());
    }

    /** Waits until the running job completes a checkpoint newer than any there was before. */
    private static void awaitNewCheckpoint(Path dir, JobProcess run) throws Exception {
        URI checkpoints = dir.resolve("state/checkpoints").toUri();
        long before =
                RetainedCheckpoints.newest(checkpoints)
                        .map(RetainedCheckpoints.Checkpoint::checkpointId)
                        .orElse(0L);
        long deadline = System.currentTimeMillis() + 3 * MINUTES;
        while (System.currentTimeMillis() < deadline) {
            assertThat(run.isAlive()).as("the job ended early: %s", run.output()).isTrue();
            long now =
                    RetainedCheckpoints.newest(checkpoints)
                            .map(RetainedCheckpoints.Checkpoint::checkpointId)
                            .orElse(0L);
            if (now > before) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no new checkpoint in 3 minutes: " + run.output());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
