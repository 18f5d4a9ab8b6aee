package io.personalize.job.suppression;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job with real Iceberg tables (an SQLite JDBC catalog): hard bounces, complaints, soft
 * bounces up to the threshold and the suppression list (clear and hashed entries) suppress a
 * customer's address in {@code customer_features} and every later decision of every flow in {@code
 * decisions}; a list edited while the job runs takes effect, and a bad edit is refused while the
 * previous list keeps serving. Two flows trigger on a product view and on an order; no caps or
 * quiet hours, so a customer who is not suppressed gets both.
 */
class SuppressionITCase {
    private static final Instant T = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static final String FLOWS =
            """
            version: 1
            flows:
              - id: viewer
                trigger: {condition: product_views_7d > 0}
                priority: 20
                endpoint: esp
                template: tpl_viewer
              - id: buyer
                trigger: {condition: lifetime_orders > 0}
                priority: 10
                endpoint: esp
                template: tpl_buyer
            """;

    @TempDir static Path tmp;

    private static Map<String, Record> features;
    private static Map<String, List<Record>> decisions;

    /** One bounded run: each customer consents, is (or is not) suppressed, then views and buys. */
    @BeforeAll
    static void runTheJobOnceOverEveryCase() throws Exception {
        List<String> lines = new ArrayList<>();
        customer(lines, "hard", bounce("hard-b", "hard", "hard", T.plus(MINUTE)));
        customer(lines, "complaint", complaint("complaint-c", "complaint", T.plus(MINUTE)));
        customer(
                lines,
                "soft2",
                bounce("soft2-b1", "soft2", "soft", T.plus(MINUTE)),
                bounce("soft2-b2", "soft2", "soft", T.plus(MINUTE.multipliedBy(2))));
        customer(
                lines,
                "soft3",
                bounce("soft3-b1", "soft3", "soft", T.plus(MINUTE)),
                bounce("soft3-b2", "soft3", "soft", T.plus(MINUTE.multipliedBy(2))),
                bounce("soft3-b3", "soft3", "soft", T.plus(MINUTE.multipliedBy(3))));
        customer(lines, "listclear", profile("lc-p", "listclear", "Listed.Clear@Example.com", T));
        customer(lines, "listhash", profile("lh-p", "listhash", "listed.hash@example.com", T));
        customer(lines, "control", profile("ctl-p", "control", "control@example.com", T));
        Path input = tmp.resolve("events.jsonl");
        Files.write(input, lines);
        Path list = tmp.resolve("suppressed.txt");
        Files.writeString(
                list,
                "# exported from the ESP\n"
                        + "  listed.clear@example.COM \n"
                        + hmac("listed.hash@example.com")
                        + "\n");
        Path warehouse = tmp.resolve("bounded-warehouse");
        Configuration conf =
                config(
                        "personalize.suppression.list=" + list,
                        "personalize.suppression.soft-bounce-threshold=3",
                        "parallelism.default=2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        CatalogSettings catalog = CatalogSettings.localSqlite(warehouse, "personalize");
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, null)),
                new IcebergPipelineSinks(catalog, settings),
                settings);
        env.execute("suppression");

        features =
                rows(catalog, Tables.CUSTOMER_FEATURES).stream()
                        .collect(
                                Collectors.toMap(
                                        r -> (String) r.getField("customer_key"),
                                        Function.identity()));
        decisions =
                rows(catalog, Tables.DECISIONS).stream()
                        .collect(Collectors.groupingBy(r -> (String) r.getField("customer_key")));
    }

    @Test
    void aHardBounceSuppressesTheAddressForEveryLaterDecision() {
        assertSuppressed("hard", "hard_bounce", T.plus(MINUTE));
    }

    @Test
    void aComplaintSuppressesTheAddressForEveryLaterDecision() {
        assertSuppressed("complaint", "complaint", T.plus(MINUTE));
        assertThat(features.get("c:complaint").getField("email_consent")).isEqualTo("false");
    }

    @Test
    void softBouncesBelowTheThresholdDoNotSuppress() {
        Record row = features.get("c:soft2");
        assertThat(row.getField("suppressed")).isEqualTo("false");
        assertThat(row.getField("suppression_reason")).isNull();
        assertThat(row.getField("soft_bounces")).isEqualTo(2L);
        assertThat(outcomes("soft2")).isEqualTo(Map.of("viewer", "to_send", "buyer", "to_send"));
    }

    @Test
    void theSoftBounceReachingTheThresholdSuppresses() {
        assertSuppressed("soft3", "soft_bounces", T.plus(MINUTE.multipliedBy(3)));
    }

    @Test
    void aClearAddressOnTheListIsSuppressed() {
        assertSuppressed("listclear", "suppression_list", T);
    }

    @Test
    void aHashedAddressOnTheListIsSuppressed() {
        assertSuppressed("listhash", "suppression_list", T);
    }

    @Test
    void aCustomerWhoIsNotSuppressedGetsEveryFlow() {
        assertThat(features.get("c:control").getField("suppressed")).isEqualTo("false");
        assertThat(outcomes("control")).isEqualTo(Map.of("viewer", "to_send", "buyer", "to_send"));
    }

    @Test
    void aListEditedWhileTheJobRunsTakesEffectAndABadEditIsRefused() throws Exception {
        Path dir = tmp.resolve("watched");
        Path input = Files.createDirectories(dir.resolve("input"));
        Path list = dir.resolve("suppressed.txt");
        Files.writeString(list, "someone.else@example.com\n");
        drop(
                input,
                "1",
                consent("late-consent", "late", T),
                profile("late-p", "late", "late@example.com", T));
        Configuration conf =
                config(
                        "personalize.suppression.list=" + list,
                        "personalize.suppression.watch=true",
                        "personalize.suppression.poll-interval=200 ms",
                        "personalize.checkpoint.interval=200 ms",
                        "personalize.watermark.idleness=200 ms",
                        "parallelism.default=1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        CatalogSettings catalog = CatalogSettings.localSqlite(dir.resolve("warehouse"), "p");
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, Duration.ofMillis(200))),
                new IcebergPipelineSinks(catalog, settings),
                settings);
        JobClient job = env.executeAsync("suppression list watched");
        try {
            await(catalog, () -> "false".equals(field(catalog, "late", "suppressed")));

            Files.writeString(list, "someone.else@example.com\nLate@Example.com\n");
            await(catalog, () -> "suppression_list".equals(field(catalog, "late", "reason")));

            // refused: the previous list (with late@) keeps serving
            Files.writeString(list, "someone.else@example.com\nlate at example dot com\n");
            await(catalog, () -> !refusedLists(catalog).isEmpty());
            drop(input, "2", EnvelopeLines.productView("late-v", "late", T.plus(HOUR), "p1"));
            await(
                    catalog,
                    () -> Long.valueOf(1).equals(field(catalog, "late", "product_views_7d")));
            Object stillSuppressed = field(catalog, "late", "reason");
            await(catalog, () -> lateDecisions(catalog).size() == 1);
            List<Record> refused = refusedLists(catalog);
            List<Record> late = lateDecisions(catalog);

            // off the list again: no longer suppressed
            Files.writeString(list, "someone.else@example.com\n");
            await(catalog, () -> "false".equals(field(catalog, "late", "suppressed")));

            assertThat(stillSuppressed)
                    .as("after the refused edit, with the view")
                    .isEqualTo("suppression_list");
            assertThat(refused)
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getField("stage")).isEqualTo("suppression");
                                assertThat((String) d.getField("message"))
                                        .contains("line 2: neither an e-mail address")
                                        .doesNotContain("example dot com");
                            });
            assertThat(late)
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getField("outcome")).isEqualTo("suppressed");
                                assertThat(d.getField("reasons"))
                                        .isEqualTo(List.of("suppressed_address: suppression_list"));
                            });
        } finally {
            job.cancel().get();
            try {
                // until the job has stopped writing into the temporary folder JUnit deletes
                job.getJobExecutionResult().get(2, java.util.concurrent.TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException cancelled) {
                // the cancellation itself
            }
        }
    }

    /** The customer's row: suppressed with reason and time; every decision suppressed so. */
    private static void assertSuppressed(String customer, String reason, Instant at) {
        Record row = features.get("c:" + customer);
        assertThat(row).as("customer_features row of %s", customer).isNotNull();
        assertThat(row.getField("suppressed")).isEqualTo("true");
        assertThat(row.getField("suppression_reason")).isEqualTo(reason);
        assertThat(((OffsetDateTime) row.getField("suppressed_at")).toInstant()).isEqualTo(at);
        List<Record> made = decisions.getOrDefault("c:" + customer, List.of());
        assertThat(made).extracting(d -> d.getField("flow_id")).contains("viewer", "buyer");
        assertThat(made)
                .allSatisfy(
                        d -> {
                            assertThat(d.getField("outcome")).isEqualTo("suppressed");
                            assertThat(d.getField("reasons"))
                                    .isEqualTo(List.of("suppressed_address: " + reason));
                        });
    }

    /** The final outcome of each flow's decision for the customer. */
    private static Map<String, String> outcomes(String customer) {
        return decisions.getOrDefault("c:" + customer, List.of()).stream()
                .collect(
                        Collectors.toMap(
                                d -> (String) d.getField("flow_id"),
                                d -> (String) d.getField("outcome")));
    }

    /** Consent, the case's own events, then a product view and an order later. */
    private static void customer(List<String> lines, String id, String... events) {
        lines.add(consent(id + "-consent", id, T));
        lines.addAll(List.of(events));
        lines.add(EnvelopeLines.productView(id + "-v", id, T.plus(HOUR), "p1"));
        lines.add(EnvelopeLines.order(id + "-o", id, T.plus(HOUR.multipliedBy(2)), id + "-o", 20));
    }

    private static String envelope(String eventId, String type, String customer, Instant at) {
        return "{\"event_id\":\""
                + eventId
                + "\",\"event_type\":\""
                + type
                + "\",\"occurred_at\":\""
                + at
                + "\",\"customer_id\":\""
                + customer
                + "\"";
    }

    private static String consent(String eventId, String customer, Instant at) {
        return envelope(eventId, "consent_changed", customer, at)
                + ",\"consent\":{\"channel\":\"email\",\"granted\":true}}";
    }

    private static String profile(String eventId, String customer, String email, Instant at) {
        return envelope(eventId, "profile_updated", customer, at)
                + ",\"profile\":{\"email\":\""
                + email
                + "\"}}";
    }

    private static String bounce(String eventId, String customer, String type, Instant at) {
        return envelope(eventId, "email_bounced", customer, at)
                + ",\"email\":{\"campaign_id\":\"cmp-1\",\"bounce_type\":\""
                + type
                + "\"}}";
    }

    private static String complaint(String eventId, String customer, Instant at) {
        return envelope(eventId, "email_complained", customer, at)
                + ",\"email\":{\"campaign_id\":\"cmp-1\"}}";
    }

    /** HMAC-SHA256 of the lower-cased address keyed with the test secret: computed here, apart. */
    private static String hmac(String address) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
                new SecretKeySpec(
                        EnvelopeLines.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of()
                .formatHex(
                        mac.doFinal(
                                address.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
    }

    private static Configuration config(String... extra) throws Exception {
        Path flows = tmp.resolve("flows.yaml");
        Files.writeString(flows, FLOWS);
        List<String> sets =
                new ArrayList<>(
                        List.of(
                                "personalize.flows.definitions=" + flows,
                                "personalize.decisions.frequency-caps=none",
                                "personalize.decisions.quiet-hours=none",
                                "personalize.restart.attempts=0",
                                "personalize.checkpoint.interval=1 s"));
        sets.addAll(List.of(extra));
        return TestConfig.of(sets.toArray(String[]::new));
    }

    private static List<Record> rows(CatalogSettings catalog, TableDefinition table) {
        try {
            return TableReader.readAll(
                    catalog.catalogLoader()
                            .loadCatalog()
                            .loadTable(table.identifier(catalog.icebergNamespace())));
        } catch (org.apache.iceberg.exceptions.NoSuchTableException e) {
            return List.of();
        }
    }

    /** A column of the customer's {@code customer_features} row ("reason": the reason). */
    private static Object field(CatalogSettings catalog, String customer, String column) {
        String name = column.equals("reason") ? "suppression_reason" : column;
        return rows(catalog, Tables.CUSTOMER_FEATURES).stream()
                .filter(r -> ("c:" + customer).equals(r.getField("customer_key")))
                .findFirst()
                .map(r -> r.getField(name))
                .orElse(null);
    }

    private static List<Record> refusedLists(CatalogSettings catalog) {
        return rows(catalog, Tables.DEAD_LETTERS).stream()
                .filter(r -> "invalid_suppression_list".equals(r.getField("reason")))
                .toList();
    }

    private static List<Record> lateDecisions(CatalogSettings catalog) {
        return rows(catalog, Tables.DECISIONS).stream()
                .filter(r -> "c:late".equals(r.getField("customer_key")))
                .toList();
    }

    private static void await(CatalogSettings catalog, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        Await.until(
                WAIT,
                condition,
                () ->
                        "customer_features of c:late "
                                + Optional.ofNullable(field(catalog, "late", "suppressed"))
                                + " "
                                + field(catalog, "late", "reason")
                                + ", decisions "
                                + lateDecisions(catalog).size()
                                + ", events "
                                + rows(catalog, Tables.EVENTS).stream()
                                        .map(r -> r.getField("event_id"))
                                        .toList()
                                + ", dead letters "
                                + rows(catalog, Tables.DEAD_LETTERS).stream()
                                        .map(r -> r.getField("reason"))
                                        .toList());
    }

    /** Writes a file the monitored source picks up whole (hidden until renamed). */
    private static void drop(Path dir, String name, String... lines) throws Exception {
        Path hidden = dir.resolve("." + name);
        Files.writeString(hidden, String.join("\n", lines) + "\n");
        Files.move(hidden, dir.resolve(name + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
    }
}
