package io.personalize.job.privacy;

import static io.personalize.job.EnvelopeLines.event;
import static io.personalize.job.EnvelopeLines.product;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.Event;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.demo.DemoRunner;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.testing.Await;
import io.personalize.job.testing.TableFiles;
import io.personalize.job.testing.TestConfig;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.DeliveryTables;
import io.personalize.tables.ErasureTable;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code erasure_requested} event in the stream, through the whole job (the demo's command, real
 * Iceberg tables, the demo's HTTP endpoint): a customer browses anonymously, logs in, fills a cart
 * that is abandoned and reminded; then asks to be erased; then comes back (more events, a new cart)
 * and the old events are replayed, the anonymous ones too. Afterwards no table holds a row of the
 * customer or of their anonymous id, no snapshot still kept references a file that holds one,
 * nothing was decided or sent for them after the request, and {@code erasures} has the audit row
 * under the salted hash of the key. A second customer who does the same without asking keeps
 * everything.
 */
class ErasureITCase {
    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    @TempDir Path tmp;

    @Test
    void anErasureInTheStreamForgetsTheCustomerInEveryTableAndDecidesNothingForThemAgain()
            throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> history = new ArrayList<>();
        for (String who : List.of("gone", "stays")) {
            String visitor = "v-" + who;
            history.add(event(who + "-v1", "product_view", 0, null, visitor, product("p-1", 20)));
            history.add(event(who + "-v2", "product_view", 1, null, visitor, product("p-2", 35)));
            history.add(event(who + "-login", "identify", 5, who, visitor, ""));
            history.add(event(who + "-consent", "consent_changed", 6, who, null, CONSENT));
            history.add(event(who + "-add", "add_to_cart", 10, who, visitor, product("p-1", 20)));
        }
        lines.addAll(history);
        // two days later: the request, then the customer comes back, and history is replayed
        int later = 2 * 24 * 60;
        lines.add(event("gone-erase", "erasure_requested", later, "gone", null, ""));
        for (String who : List.of("gone", "stays")) {
            lines.add(
                    event(who + "-back", "add_to_cart", later + 10, who, null, product("p-3", 9)));
            lines.add(
                    event(
                            who + "-anon",
                            "product_view",
                            later + 11,
                            null,
                            "v-" + who,
                            product("p-4", 5)));
        }
        lines.addAll(history.subList(0, 5)); // the erased customer's old events again
        for (String line : history.subList(0, 5)) {
            lines.add(line.replace("\"gone-", "\"replayed-gone-"));
        }
        // time goes on past abandon-after and remind-after of the carts
        lines.add(
                event(
                        "clock",
                        "product_view",
                        later + 4 * 24 * 60,
                        "clock",
                        null,
                        product("p-9", 5)));
        Path input = tmp.resolve("erasure.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);

        Path output = tmp.resolve("out");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new DemoRunner(new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(
                        new DemoRunner.Options(
                                output, 0, 1, input, InputFormat.ENVELOPE, false, true),
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "personalize.restart.attempts=0",
                                        "personalize.identity.stitching=true",
                                        "personalize.input.order=as-read",
                                        "personalize.checkpoint.interval=300 ms")));
        CatalogSettings catalog =
                CatalogSettings.localSqlite(output.resolve("warehouse"), "personalize");
        String secret = Files.readString(output.resolve("hash-secret")).trim();

        Predicate<Record> gone = row -> isTheirs(row, "gone", "v-gone");
        Predicate<Record> stays = row -> isTheirs(row, "stays", "v-stays");
        for (TableDefinition definition : Tables.all()) {
            Table table = table(catalog, definition);
            List<Record> rows = TableReader.readAll(table);
            assertThat(rows)
                    .as("%s: rows of the erased customer", definition.name())
                    .noneMatch(gone);
            for (Snapshot snapshot : table.snapshots()) {
                assertThat(TableFiles.holding(table, snapshot, gone))
                        .as(
                                "%s: files of snapshot %s holding their rows",
                                definition.name(), snapshot.snapshotId())
                        .isEmpty();
            }
        }
        assertThat(TableReader.readAll(table(catalog, Tables.CART_ABANDONMENTS)))
                .as("the customer who stays abandons both carts")
                .anyMatch(stays);
        // What was sent before the request is the past (here nothing: the first cart's wait had
        // not ended when the request came, and the request ended it); after it nothing, while the
        // other customer's second cart is sent
        Instant requested = T0.plus(Duration.ofMinutes(later));
        boolean staysSentAfter = false;
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(output.resolve("deliveries.jsonl"))) {
            JsonNode data = json.readTree(line).path("trigger").path("data");
            Instant decided = Instant.parse(data.path("decided_at").asText());
            String customer = data.path("customer_id").asText();
            if (customer.equals("gone")) {
                assertThat(decided).as("a trigger of the erased customer").isBefore(requested);
            } else if (customer.equals("stays") && decided.isAfter(requested)) {
                staysSentAfter = true;
            }
        }
        assertThat(staysSentAfter).as("the other customer's second cart").isTrue();

        List<Record> audit = TableReader.readAll(table(catalog, ErasureTable.ERASURES));
        assertThat(audit).hasSize(1);
        Record row = audit.get(0);
        assertThat(row.getField("subject"))
                .isEqualTo(
                        new PersonalDataScrubber(secret).hash(Event.CUSTOMER_KEY_PREFIX + "gone"));
        assertThat(row.getField("source")).isEqualTo("event");
        assertThat(row.getField("known")).isEqualTo(true);
        assertThat(row.getField("linked_anonymous_ids")).isEqualTo(1);
        assertThat(audit.toString()).doesNotContain("gone").doesNotContain("v-gone");
    }

    /**
     * While the job runs (a watched folder, checkpoints every 200 ms): the request is carried out
     * in the stream, rows rewritten while the committers keep committing, the older snapshots
     * expired once each table was committed to again, and the audit row written; the customer's
     * events that come afterwards, old and new, leave nothing.
     */
    @Test
    void anErasureWhileTheJobRunsIsCarriedOutWithoutStoppingIt() throws Exception {
        Path dir = tmp.resolve("watched");
        Path input = Files.createDirectories(dir.resolve("input"));
        List<String> history = new ArrayList<>();
        for (String who : List.of("gone", "stays")) {
            history.add(
                    event(who + "-v1", "product_view", 0, null, "v-" + who, product("p-1", 20)));
            history.add(event(who + "-login", "identify", 5, who, "v-" + who, ""));
            history.add(event(who + "-consent", "consent_changed", 6, who, null, CONSENT));
            history.add(event(who + "-add", "add_to_cart", 10, who, null, product("p-1", 20)));
        }
        drop(input, "1", history);
        Configuration conf =
                TestConfig.of(
                        "personalize.restart.attempts=0",
                        "personalize.identity.stitching=true",
                        "personalize.checkpoint.interval=200 ms",
                        "personalize.watermark.idleness=200 ms",
                        "parallelism.default=2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        CatalogSettings catalog = CatalogSettings.localSqlite(dir.resolve("warehouse"), "p");
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, Duration.ofMillis(200))),
                new IcebergPipelineSinks(catalog, settings),
                settings);
        JobClient job = env.executeAsync("erasure while running");
        Predicate<Record> gone = row -> isTheirs(row, "gone", "v-gone");
        try {
            Await.until(
                    job,
                    WAIT,
                    () ->
                            rowsOf(catalog, Tables.CUSTOMER_FEATURES, gone) > 0
                                    && rowsOf(catalog, Tables.IDENTITY_LINKS, gone) > 0,
                    () -> "the customer's rows before the request");

            drop(
                    input,
                    "2",
                    List.of(event("gone-erase", "erasure_requested", 20, "gone", null, "")));
            Await.until(
                    job,
                    WAIT,
                    () -> rowsOf(catalog, ErasureTable.ERASURES, r -> true) == 1,
                    () -> "the audit row");
            for (TableDefinition definition : Tables.all()) {
                Table table = table(catalog, definition);
                assertThat(TableReader.readAll(table))
                        .as("%s: rows of the erased customer", definition.name())
                        .noneMatch(gone);
                for (Snapshot snapshot : table.snapshots()) {
                    assertThat(TableFiles.holding(table, snapshot, gone))
                            .as(
                                    "%s: files of a kept snapshot holding their rows",
                                    definition.name())
                            .isEmpty();
                }
            }

            List<String> back = new ArrayList<>(history);
            back.add(event("gone-back", "add_to_cart", 30, "gone", null, product("p-3", 9)));
            back.add(event("stays-back", "add_to_cart", 30, "stays", null, product("p-3", 9)));
            back.add(event("gone-anon", "product_view", 31, null, "v-gone", product("p-4", 5)));
            drop(input, "3", back);
            Await.until(
                    job,
                    WAIT,
                    () ->
                            rowsOf(
                                            catalog,
                                            Tables.EVENTS,
                                            r -> "stays-back".equals(field(r, "event_id")))
                                    == 1,
                    () -> "the events after the request");
            for (TableDefinition definition : Tables.all()) {
                assertThat(TableReader.readAll(table(catalog, definition)))
                        .as(
                                "%s: rows of the erased customer after they came back",
                                definition.name())
                        .noneMatch(gone);
            }
            Record audit = TableReader.readAll(table(catalog, ErasureTable.ERASURES)).get(0);
            assertThat(audit.getField("source")).isEqualTo("event");
            assertThat(audit.getField("linked_anonymous_ids")).isEqualTo(1);
            assertThat(audit.getField("subject"))
                    .isEqualTo(
                            new PersonalDataScrubber(EnvelopeLines.SECRET)
                                    .hash(Event.CUSTOMER_KEY_PREFIX + "gone"));
        } finally {
            job.cancel().get();
            try {
                job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
            } catch (ExecutionException cancelled) {
                // the cancellation itself
            }
        }
    }

    /**
     * A trigger of the customer that waits for a retry (their endpoint answers 503) is given up
     * when the erasure reaches the decision stage: no further attempt, and no outcome row; the
     * other customer's trigger is delivered.
     */
    @Test
    void aTriggerWaitingForARetryIsGivenUpWhenItsCustomerIsErased() throws Exception {
        Path dir = tmp.resolve("retrying");
        Path input = Files.createDirectories(dir.resolve("input"));
        int noon = 12 * 60; // outside quiet hours
        List<String> carts = new ArrayList<>();
        for (String who : List.of("gone", "stays")) {
            carts.add(event(who + "-consent", "consent_changed", noon, who, null, CONSENT));
            carts.add(event(who + "-add", "add_to_cart", noon + 1, who, null, product("p-1", 20)));
        }
        // past abandon-after (1 h): both carts are abandoned and their triggers sent
        carts.add(event("clock-1", "product_view", noon + 120, "clock", null, product("p-9", 5)));
        drop(input, "1", carts);
        Path secretFile = dir.resolve("endpoint-secret");
        Files.writeString(secretFile, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        Map<String, java.util.concurrent.atomic.AtomicInteger> attempts =
                new java.util.concurrent.ConcurrentHashMap<>();
        com.sun.net.httpserver.HttpServer server =
                com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress(
                                java.net.InetAddress.getLoopbackAddress(), 0),
                        0);
        server.createContext(
                "/esp",
                exchange -> {
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    String customer =
                            new ObjectMapper()
                                    .readTree(body)
                                    .path("data")
                                    .path("customer_id")
                                    .asText();
                    attempts.computeIfAbsent(
                                    customer, c -> new java.util.concurrent.atomic.AtomicInteger())
                            .incrementAndGet();
                    exchange.sendResponseHeaders(customer.equals("gone") ? 503 : 200, -1);
                    exchange.close();
                });
        server.start();
        Path endpoints = dir.resolve("endpoints.yaml");
        Files.writeString(
                endpoints,
                "endpoints:\n  esp:\n    url: http://127.0.0.1:"
                        + server.getAddress().getPort()
                        + "/esp\n    secret-file: "
                        + secretFile
                        + "\n    timeout: 2s\n");
        Configuration conf =
                TestConfig.of(
                        "personalize.restart.attempts=0",
                        "personalize.checkpoint.interval=200 ms",
                        "personalize.watermark.idleness=200 ms",
                        "personalize.delivery.endpoints=" + endpoints,
                        "personalize.delivery.max-attempts=1000",
                        "personalize.delivery.initial-backoff=100 ms",
                        "personalize.delivery.max-backoff=300 ms",
                        "parallelism.default=2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        CatalogSettings catalog = CatalogSettings.localSqlite(dir.resolve("warehouse"), "p");
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, Duration.ofMillis(200))),
                new IcebergPipelineSinks(catalog, settings),
                settings);
        JobClient job = env.executeAsync("erasure while a trigger waits for a retry");
        try {
            Await.until(
                    job,
                    WAIT,
                    () -> count(attempts, "gone") >= 2 && count(attempts, "stays") >= 1,
                    () -> "the first attempts: " + attempts + ", decisions: " + outcomes(catalog));

            drop(
                    input,
                    "2",
                    List.of(
                            event("gone-erase", "erasure_requested", noon + 130, "gone", null, ""),
                            event(
                                    "clock-2",
                                    "product_view",
                                    noon + 240,
                                    "clock",
                                    null,
                                    product("p-9", 5))));
            Await.until(
                    job,
                    WAIT,
                    () -> rowsOf(catalog, ErasureTable.ERASURES, r -> true) == 1,
                    () -> "the audit row");
            int afterRequest = count(attempts, "gone");
            Thread.sleep(3_000); // ten backoffs at most: without the give-up, about ten attempts
            assertThat(count(attempts, "gone"))
                    .as("attempts for the erased customer after the request")
                    .isLessThanOrEqualTo(afterRequest + 1); // one may have been on the wire
            Thread.sleep(1_000);
            int settled = count(attempts, "gone");
            Thread.sleep(2_000);
            assertThat(count(attempts, "gone")).as("no attempt any more").isEqualTo(settled);
            assertThat(
                            rowsOf(
                                    catalog,
                                    DeliveryTables.DELIVERIES,
                                    row -> isTheirs(row, "gone", "-")))
                    .isZero();
            Await.until(
                    job,
                    WAIT,
                    () ->
                            rowsOf(
                                            catalog,
                                            DeliveryTables.DELIVERIES,
                                            row -> isTheirs(row, "stays", "-"))
                                    >= 1,
                    () -> "the other customer's delivery row");
        } finally {
            job.cancel().get();
            try {
                job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
            } catch (ExecutionException cancelled) {
                // the cancellation itself
            }
            server.stop(0);
        }
    }

    /** The decisions written so far, as customer and outcome (for a failure's message). */
    private static List<String> outcomes(CatalogSettings catalog) {
        try {
            return TableReader.readAll(table(catalog, Tables.DECISIONS)).stream()
                    .map(r -> field(r, "customer_key") + ":" + field(r, "outcome"))
                    .toList();
        } catch (RuntimeException e) {
            return List.of("unreadable (" + e + ")");
        }
    }

    private static int count(
            Map<String, java.util.concurrent.atomic.AtomicInteger> attempts, String customer) {
        java.util.concurrent.atomic.AtomicInteger n = attempts.get(customer);
        return n == null ? 0 : n.get();
    }

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static long rowsOf(
            CatalogSettings catalog, TableDefinition definition, Predicate<Record> which) {
        try {
            return TableReader.readAll(table(catalog, definition)).stream().filter(which).count();
        } catch (org.apache.iceberg.exceptions.NoSuchTableException e) {
            return 0;
        }
    }

    private static void drop(Path dir, String name, List<String> lines) throws Exception {
        Path hidden = dir.resolve("." + name);
        Files.writeString(hidden, String.join("\n", lines) + "\n");
        Files.move(hidden, dir.resolve(name + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean isTheirs(Record row, String customer, String anonymous) {
        Object key = field(row, "customer_key");
        Object id = field(row, "customer_id");
        Object anon = field(row, "anonymous_id");
        return (Event.CUSTOMER_KEY_PREFIX + customer).equals(key)
                || (Event.ANONYMOUS_KEY_PREFIX + anonymous).equals(key)
                || customer.equals(id)
                || anonymous.equals(anon);
    }

    private static Object field(Record row, String name) {
        return row.struct().field(name) == null ? null : row.getField(name);
    }

    private static final String CONSENT = ",\"consent\":{\"channel\":\"email\",\"granted\":true}";

    private static Table table(CatalogSettings catalog, TableDefinition table) {
        return catalog.catalogLoader()
                .loadCatalog()
                .loadTable(table.identifier(catalog.icebergNamespace()));
    }
}
