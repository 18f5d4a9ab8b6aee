package io.personalize.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.job.testing.KafkaBroker;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real cluster: a standalone Flink session cluster of separate JVMs (one JobManager,
 * two TaskManagers), a KRaft Kafka broker and Iceberg's REST catalog server, the job jar submitted
 * through the cluster's REST API. TaskManagers are killed with SIGKILL three times while the job
 * reads; every table then holds exactly the ids of a reference run without kills. The job is then
 * stopped with a savepoint and a changed version (a new declared feature, a new flow) started from
 * it: its state and tables carry on, the new flow decides, nothing is written twice.
 */
class ClusterFaultsITCase {
    private static final int EVENTS = 4_000;
    private static final int UPGRADE_EVENTS = 1_500;
    private static final int KILLS = 3;
    private static final String ENTRY_CLASS = "io.personalize.job.cli.PersonalizeCli";
    private static final String NEW_FLOW = "e2e_frequent_viewer";
    private static final String NEW_FEATURE = "e2e_views_30d";
    private static final Duration SETTLE = Duration.ofSeconds(8);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Ids that identify a row in each table the same way in every run. */
    private static final Map<TableDefinition, Function<Record, String>> IDS =
            Map.of(
                    Tables.EVENTS, r -> (String) r.getField("event_id"),
                    Tables.DEAD_LETTERS, r -> (String) r.getField("dead_letter_id"),
                    Tables.SEGMENT_CHANGES, r -> (String) r.getField("change_id"),
                    Tables.DECISIONS, r -> r.getField("decision_id") + "/" + r.getField("outcome"),
                    Tables.CUSTOMER_FEATURES, r -> (String) r.getField("customer_key"));

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    /** Kept when the test fails: the processes' logs are under {@code flink/logs}. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    @AfterAll
    static void stopProcesses() {
        JavaProcesses.destroyAll();
    }

    @Test
    void threeTaskManagerKillsLeaveTheTablesOfARunWithoutKillsAndASavepointUpgradeCarriesOn()
            throws Exception {
        Path jar = Path.of(System.getProperty("personalize.jar", "missing"));
        assertThat(jar)
                .as("the job jar: run through `mvn verify` (flink-jobs packages it first)")
                .isRegularFile();
        List<String> all = generate(EVENTS + UPGRADE_EVENTS);
        List<String> history = all.subList(0, EVENTS);
        List<String> later = all.subList(EVENTS, all.size());
        long seed = new Random().nextLong();
        Random random = new Random(seed);

        try (IcebergRestCatalog catalog = IcebergRestCatalog.start(dir.resolve("catalog"));
                FlinkCluster cluster =
                        FlinkCluster.start(
                                dir.resolve("flink"),
                                jar,
                                clusterSettings(),
                                Map.of("PERSONALIZE_HASH_SECRET", "cluster-e2e-secret-0123"))) {
            cluster.startTaskManager();
            cluster.startTaskManager();
            cluster.awaitSlots(2, Duration.ofMinutes(2));
            String jarId = cluster.upload(jar);

            // the reference: the same events, no kills
            KAFKA.createTopic("events-reference", 2);
            produce("events-reference", history);
            String reference =
                    cluster.run(jarId, ENTRY_CLASS, runArgs(catalog, "reference", false), null);
            cluster.awaitRunning(reference, Duration.ofMinutes(3));
            Map<String, Long> expected = awaitSettled(catalog.settings("reference"));
            cluster.cancel(reference);
            assertThat(expected.get("events")).isGreaterThan(EVENTS / 2L);
            assertThat(expected.get("decisions")).isPositive();

            // the same events in four parts, a TaskManager killed after each of the first three
            KAFKA.createTopic("events-killed", 2);
            String job = cluster.run(jarId, ENTRY_CLASS, runArgs(catalog, "killed", false), null);
            cluster.awaitRunning(job, Duration.ofMinutes(3));
            int part = (EVENTS + KILLS) / (KILLS + 1);
            for (int kill = 0; kill < KILLS; kill++) {
                produce("events-killed", history.subList(kill * part, (kill + 1) * part));
                cluster.awaitNewCheckpoint(job, Duration.ofMinutes(2));
                Thread.sleep(random.nextInt(3_000));
                List<Process> live = cluster.liveTaskManagers();
                JavaProcesses.kill(live.get(random.nextInt(live.size())));
                cluster.startTaskManager();
                cluster.awaitRunning(job, Duration.ofMinutes(3));
            }
            produce("events-killed", history.subList(KILLS * part, EVENTS));
            CatalogSettings killed = catalog.settings("killed");
            Map<String, Long> afterKills = awaitSettled(killed);
            assertThat(cluster.failuresSeen(job))
                    .as("the job saw the kills: %s", cluster.exceptions(job))
                    .isGreaterThanOrEqualTo(KILLS);
            assertThat(afterKills).as("row counts, kills from seed %d", seed).isEqualTo(expected);
            IDS.forEach(
                    (table, id) ->
                            assertThat(ids(killed, table, id))
                                    .as("%s ids after the kills (seed %d)", table.name(), seed)
                                    .doesNotHaveDuplicates()
                                    .containsExactlyInAnyOrderElementsOf(
                                            ids(catalog.settings("reference"), table, id)));

            // stop with a savepoint, start the changed job from it, send more events
            String savepoint =
                    cluster.stopWithSavepoint(
                            job, dir.resolve("savepoints"), Duration.ofMinutes(3));
            String upgraded =
                    cluster.run(jarId, ENTRY_CLASS, runArgs(catalog, "killed", true), savepoint);
            cluster.awaitRunning(upgraded, Duration.ofMinutes(3));
            produce("events-killed", later);
            Map<String, Long> afterUpgrade = awaitSettled(killed);

            assertThat(afterUpgrade.get("events"))
                    .as("the later events were added to the table, the earlier not read again")
                    .isEqualTo(afterKills.get("events") + distinctEventIds(later));
            assertThat(afterUpgrade.get("decisions")).isGreaterThan(afterKills.get("decisions"));
            IDS.forEach(
                    (table, id) ->
                            assertThat(ids(killed, table, id))
                                    .as("%s ids after the upgrade", table.name())
                                    .doesNotHaveDuplicates());
            List<String> flows = column(killed, Tables.DECISIONS, "flow_id");
            assertThat(flows).as("the new flow decides").contains(NEW_FLOW);
            assertThat(table(killed, Tables.CUSTOMER_FEATURES).schema().findField(NEW_FEATURE))
                    .as("the new declared feature is a column")
                    .isNotNull();
        }
    }

    /** The cluster: 1 slot per TaskManager, losses noticed in seconds, small memory. */
    private static Map<String, String> clusterSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        // one slot each: the job (parallelism 2) runs on both, so every kill hits running tasks
        settings.put("taskmanager.numberOfTaskSlots", "1");
        settings.put("taskmanager.memory.process.size", "1600m");
        settings.put("jobmanager.memory.process.size", "1024m");
        settings.put("heartbeat.interval", "1000");
        settings.put("heartbeat.timeout", "8000");
        settings.put("parallelism.default", "2");
        // The cluster's class path is the job's shaded jar itself (Flink plus Kafka and Iceberg):
        // child-first loading of the uploaded copy of that jar breaks loader constraints
        // (ConsumerRecord loaded by two loaders). A Flink-only class path with the cluster jar
        // (-Pcluster-jar) submitted would be closer to production; see the README.
        settings.put("classloader.resolve-order", "parent-first");
        return settings;
    }

    /** {@code run --config FILE}, as the Helm chart starts the job on a cluster. */
    private static List<String> runArgs(IcebergRestCatalog catalog, String name, boolean upgraded)
            throws IOException {
        Path runDir = Files.createDirectories(dir.resolve("runs").resolve(name));
        List<String> lines = new ArrayList<>();
        lines.add("personalize.input.source: kafka");
        lines.add("personalize.kafka.bootstrap-servers: " + KAFKA.bootstrapServers());
        lines.add("personalize.kafka.events-topic: events-" + name);
        lines.add("personalize.kafka.group-id: personalize-" + name);
        lines.add("personalize.kafka.starting-offsets: earliest");
        lines.add("personalize.catalog.type: rest");
        lines.add("personalize.catalog.uri: " + catalog.uri());
        lines.add("personalize.catalog.warehouse: " + catalog.warehouse());
        lines.add("personalize.tables.namespace: " + name);
        lines.add("personalize.checkpoint.interval: 1 s");
        lines.add("personalize.restart.attempts: 10");
        lines.add("personalize.restart.delay: 2 s");
        lines.add("execution.checkpointing.dir: " + runDir.resolve("checkpoints").toUri());
        lines.add("parallelism.default: 2");
        if (upgraded) {
            Path features = runDir.resolve("declared-features.yaml");
            Files.writeString(
                    features,
                    String.join(
                            "\n",
                            "version: 1",
                            "features:",
                            "  - name: " + NEW_FEATURE,
                            "    kind: window",
                            "    aggregate: count",
                            "    where: event.event_type == 'product_view'",
                            "    window: 30d",
                            ""));
            Path flows = runDir.resolve("flows.yaml");
            Files.writeString(flows, defaultFlows() + newFlow());
            lines.add("personalize.features.declared: " + features);
            lines.add("personalize.flows.definitions: " + flows);
        }
        Path config = runDir.resolve(upgraded ? "job-upgraded.yaml" : "job.yaml");
        Files.writeString(config, String.join("\n", lines) + "\n");
        return List.of("run", "--config", config.toString());
    }

    private static String newFlow() {
        return String.join(
                "\n",
                "",
                "  - id: " + NEW_FLOW,
                "    name: Frequent viewer (added by the upgrade)",
                "    description: three product views in 30 days; once per customer",
                "    trigger:",
                "      condition: " + NEW_FEATURE + " >= 3",
                "    priority: 5",
                "    cooldown: 30d",
                "    reentry: once",
                "    endpoint: esp",
                "    template: tpl_frequent_viewer",
                "    content:",
                "      - blocks: [latest_products]",
                "");
    }

    private static String defaultFlows() throws IOException {
        try (InputStream in =
                DemoDataGenerator.class.getResourceAsStream("/flows/default-flows.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> generate(int events) {
        List<String> lines = new ArrayList<>();
        Iterator<String> it =
                new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(21)).lines(events);
        it.forEachRemaining(lines::add);
        return lines;
    }

    /** Sends the lines keyed by customer (or visitor), so that each one's events stay in order. */
    private static void produce(String topic, List<String> lines) throws Exception {
        KAFKA.produce(topic, lines, ClusterFaultsITCase::customerKey);
    }

    private static String customerKey(String line) {
        try {
            JsonNode event = JSON.readTree(line);
            JsonNode key = event.hasNonNull("customer_id") ? event.get("customer_id") : null;
            if (key == null) {
                key = event.get("anonymous_id");
            }
            return key == null ? null : key.asText();
        } catch (IOException e) {
            return null; // a malformed line: goes to the dead letters wherever it lands
        }
    }

    private static long distinctEventIds(List<String> lines) {
        return lines.stream()
                .map(
                        line -> {
                            try {
                                JsonNode id = JSON.readTree(line).get("event_id");
                                return id == null ? null : id.asText();
                            } catch (IOException e) {
                                return null;
                            }
                        })
                .filter(id -> id != null)
                .distinct()
                .count();
    }

    /** Waits until no table's row count changed for {@link #SETTLE}; returns the counts. */
    private static Map<String, Long> awaitSettled(CatalogSettings catalog) throws Exception {
        Map<String, Long>[] last = new Map[] {Map.of()};
        long[] since = {System.nanoTime()};
        Await.until(
                "the tables of " + catalog.namespace() + " settle",
                Duration.ofMinutes(4),
                () -> {
                    Map<String, Long> counts = rowCounts(catalog);
                    if (!counts.equals(last[0]) || counts.getOrDefault("events", 0L) == 0) {
                        last[0] = counts;
                        since[0] = System.nanoTime();
                        return false;
                    }
                    return System.nanoTime() - since[0] > SETTLE.toNanos();
                });
        return last[0];
    }

    private static Map<String, Long> rowCounts(CatalogSettings catalog) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TableDefinition definition : Tables.all()) {
            counts.put(definition.name(), TableReader.rowCount(table(catalog, definition)));
        }
        return counts;
    }

    private static List<String> ids(
            CatalogSettings catalog, TableDefinition definition, Function<Record, String> id) {
        List<String> ids = new ArrayList<>();
        for (Record record : TableReader.readAll(table(catalog, definition))) {
            ids.add(id.apply(record));
        }
        return ids;
    }

    private static List<String> column(
            CatalogSettings catalog, TableDefinition definition, String column) {
        return ids(catalog, definition, r -> String.valueOf(r.getField(column)));
    }

    private static Table table(CatalogSettings catalog, TableDefinition definition) {
        try {
            return catalog.catalogLoader()
                    .loadCatalog()
                    .loadTable(definition.identifier(catalog.icebergNamespace()));
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot load " + definition.name(), e));
        }
    }
}
