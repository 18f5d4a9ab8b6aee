package io.personalize.job.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.Event;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.demo.DemoRunner;
import io.personalize.job.testing.DemoEvents;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on generated data, end to end, and the features it writes checked customer by customer
 * against {@link PlainFeatures}, a plain loop over each customer's events.
 */
class FeaturesITCase {
    private static final int EVENTS = 30_000;
    private static final int SAMPLE = 40;

    @TempDir static Path tmp;

    private static Map<String, Record> latestByCustomer;
    private static Map<String, List<Event>> eventsByCustomer;
    private static long lastEventTime;
    private static Map<String, List<Long>> historyAsOfByCustomer;
    private static List<Record> segmentChanges;

    @BeforeAll
    static void runTheDemo() throws Exception {
        new DemoRunner(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(
                        new DemoRunner.Options(
                                tmp.resolve("out"), EVENTS, 3, null, InputFormat.ENVELOPE, false),
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "personalize.checkpoint.interval=1 s",
                                        "parallelism.default=2",
                                        "personalize.features.history=every-change",
                                        // the plain computation reads each key's events as the
                                        // events table holds them; IdentityStitchingITCase covers
                                        // merging a visitor into a customer
                                        "personalize.identity.stitching=false")));
        CatalogSettings settings =
                CatalogSettings.localSqlite(tmp.resolve("out/warehouse"), "personalize");
        Catalog catalog = settings.catalogLoader().loadCatalog();
        Table features =
                catalog.loadTable(Tables.CUSTOMER_FEATURES.identifier(settings.icebergNamespace()));
        Table history =
                catalog.loadTable(
                        Tables.CUSTOMER_FEATURES_HISTORY.identifier(settings.icebergNamespace()));
        latestByCustomer = new HashMap<>();
        for (Record row : TableReader.readAll(features)) {
            Record previous = latestByCustomer.put((String) row.getField("customer_key"), row);
            assertThat(previous).as("one row per customer").isNull();
        }
        historyAsOfByCustomer = new HashMap<>();
        for (Record row : TableReader.readAll(history, "customer_key", "as_of")) {
            historyAsOfByCustomer
                    .computeIfAbsent((String) row.getField("customer_key"), k -> new ArrayList<>())
                    .add(millis(row.getField("as_of")));
        }
        segmentChanges =
                TableReader.readAll(
                        catalog.loadTable(
                                Tables.SEGMENT_CHANGES.identifier(settings.icebergNamespace())));
        readEvents(tmp.resolve("out/input/events.jsonl"));
    }

    private static void readEvents(Path file) throws Exception {
        DemoEvents events = DemoEvents.read(file);
        eventsByCustomer = events.byCustomer();
        lastEventTime = events.lastEventTime();
    }

    private static long millis(Object timestamptz) {
        return ((OffsetDateTime) timestamptz).toInstant().toEpochMilli();
    }

    private static long longField(Record row, String name) {
        return ((Number) row.getField(name)).longValue();
    }

    /**
     * The history holds, for every customer, a row for each of their events, as of the features'
     * clock after it, never two rows for one instant, and the latest row. The rows of expiry timers
     * come on top; they are not computed independently here.
     */
    @Test
    void everyCustomerHasOneLatestRowAndHistoryHasARowForEveryEvent() {
        assertThat(latestByCustomer.keySet()).isEqualTo(eventsByCustomer.keySet());
        Map<String, Map<Long, Long>> missing = new HashMap<>();
        eventsByCustomer.forEach(
                (key, events) -> {
                    Map<Long, Long> rowsAt =
                            countByInstant(historyAsOfByCustomer.getOrDefault(key, List.of()));
                    Map<Long, Long> eventsAt = countByInstant(clockAfterEachEvent(events));
                    eventsAt.forEach(
                            (at, n) -> {
                                if (!rowsAt.containsKey(at)) {
                                    missing.computeIfAbsent(key, k -> new HashMap<>()).put(at, n);
                                }
                            });
                });
        assertThat(missing)
                .as("events without their history row, by customer and instant")
                .isEmpty();
        historyAsOfByCustomer.forEach(
                (key, instants) ->
                        assertThat(instants)
                                .as("never two rows for one (customer_key, as_of): " + key)
                                .doesNotHaveDuplicates());
        latestByCustomer.forEach(
                (key, row) ->
                        assertThat(historyAsOfByCustomer.get(key))
                                .as(key)
                                .contains(millis(row.getField("as_of"))));
    }

    /**
     * The features' clock after each of a customer's events, in input order: it moves to an event's
     * time, never back, so an event that comes after a later one is a row as of the later.
     */
    private static List<Long> clockAfterEachEvent(List<Event> events) {
        List<Long> clock = new ArrayList<>();
        long now = Long.MIN_VALUE;
        for (Event e : events) {
            now = Math.max(now, e.occurredAt);
            clock.add(now);
        }
        return clock;
    }

    private static Map<Long, Long> countByInstant(List<Long> instants) {
        Map<Long, Long> counts = new HashMap<>();
        instants.forEach(at -> counts.merge(at, 1L, Long::sum));
        return counts;
    }

    @Test
    void timeStopsAtTheLastEventSoFinalRowsKeepTheirWindows() {
        long latestAsOf =
                latestByCustomer.values().stream()
                        .mapToLong(r -> millis(r.getField("as_of")))
                        .max()
                        .orElseThrow();
        assertThat(latestAsOf).isLessThanOrEqualTo(lastEventTime);
        long orders30d =
                latestByCustomer.values().stream().mapToLong(r -> longField(r, "orders_30d")).sum();
        assertThat(orders30d).as("recent buyers still count their last 30 days").isPositive();
        assertThat(latestByCustomer.values())
                .filteredOn(r -> "lapsed".equals(r.getField("lifecycle_stage")))
                .hasSizeLessThan(latestByCustomer.size() / 2);
    }

    @Test
    void sampledCustomersMatchAPlainComputationFromTheirEvents() {
        List<String> buyers =
                eventsByCustomer.keySet().stream()
                        .filter(k -> longField(latestByCustomer.get(k), "lifetime_orders") > 0)
                        .sorted()
                        .limit(SAMPLE)
                        .toList();
        List<String> others =
                eventsByCustomer.keySet().stream()
                        .filter(k -> !buyers.contains(k))
                        .sorted()
                        .limit(SAMPLE / 4)
                        .toList();
        assertThat(buyers).hasSize(SAMPLE);
        for (String key : concat(buyers, others)) {
            Record row = latestByCustomer.get(key);
            long asOf = millis(row.getField("as_of"));
            PlainFeatures plain = PlainFeatures.compute(eventsByCustomer.get(key), asOf);
            String at = key + " as of " + row.getField("as_of");
            assertThat(longField(row, "orders_7d")).as(at).isEqualTo(plain.orders7d);
            assertThat(longField(row, "orders_30d")).as(at).isEqualTo(plain.orders30d);
            assertThat(longField(row, "orders_60d")).as(at).isEqualTo(plain.orders60d);
            assertThat(longField(row, "orders_90d")).as(at).isEqualTo(plain.orders90d);
            assertThat(longField(row, "lifetime_orders")).as(at).isEqualTo(plain.lifetimeOrders);
            assertThat((Double) row.getField("revenue_30d"))
                    .as(at)
                    .isCloseTo(plain.revenue30d, within(1e-6));
            assertThat((Double) row.getField("revenue_90d"))
                    .as(at)
                    .isCloseTo(plain.revenue90d, within(1e-6));
            assertThat((Double) row.getField("lifetime_revenue"))
                    .as(at)
                    .isCloseTo(plain.lifetimeRevenue, within(1e-6));
            assertThat(
                            row.getField("last_purchase_at") == null
                                    ? null
                                    : millis(row.getField("last_purchase_at")))
                    .as(at)
                    .isEqualTo(plain.lastPurchaseAt);
            assertThat(row.getField("lifecycle_stage")).as(at).isEqualTo(plain.lifecycleStage);
            assertThat(longField(row, "product_views_7d"))
                    .as(at + " (views are merged to the minute)")
                    .isBetween(
                            plain.viewsExact7d,
                            plain.viewsExact7d + plain.viewsWithinAMinuteBefore7d);
            assertThat(longField(row, "emails_delivered_30d"))
                    .as(at)
                    .isEqualTo(plain.emailsDelivered30d);
            assertThat(longField(row, "email_opens_30d")).as(at).isEqualTo(plain.emailOpens30d);
            assertThat(row.getField("email_consent")).as(at).isEqualTo(plain.emailConsent);
        }
    }

    /**
     * The default segments that a plain computation can decide from the plain features, checked on
     * the {@code segments} column; and every change in {@code segment_changes} agrees with it: the
     * last change of each segment is an entry exactly for the segments the customer is in.
     */
    @Test
    void sampledCustomersAreInTheSegmentsAPlainComputationGives() {
        Map<String, List<Record>> changesByCustomer = new HashMap<>();
        for (Record change : segmentChanges) {
            changesByCustomer
                    .computeIfAbsent(
                            (String) change.getField("customer_key"), k -> new ArrayList<>())
                    .add(change);
        }
        List<String> lapsedInTheJob =
                latestByCustomer.keySet().stream()
                        .filter(k -> longField(latestByCustomer.get(k), "lifetime_orders") > 0)
                        .filter(k -> longField(latestByCustomer.get(k), "orders_60d") == 0)
                        .sorted()
                        .limit(SAMPLE / 2)
                        .toList();
        List<String> sample =
                concat(
                        eventsByCustomer.keySet().stream().sorted().limit(SAMPLE * 2L).toList(),
                        lapsedInTheJob);
        int lapsed = 0;
        for (String key : sample) {
            Record row = latestByCustomer.get(key);
            long asOf = millis(row.getField("as_of"));
            PlainFeatures plain = PlainFeatures.compute(eventsByCustomer.get(key), asOf);
            Set<String> expected = PlainSegments.of(plain, asOf);
            Set<String> actual = new HashSet<>();
            for (Object id : (List<?>) row.getField("segments")) {
                if (PlainSegments.DECIDABLE.contains(id.toString())) {
                    actual.add(id.toString());
                }
            }
            assertThat(actual).as(key + " as of " + row.getField("as_of")).isEqualTo(expected);

            Map<String, Record> lastChange = new HashMap<>();
            changesByCustomer.getOrDefault(key, List.of()).stream()
                    .sorted(java.util.Comparator.comparing(c -> millis(c.getField("event_time"))))
                    .forEach(c -> lastChange.put((String) c.getField("segment_id"), c));
            Set<String> enteredLast = new HashSet<>();
            lastChange.forEach(
                    (id, c) -> {
                        if ("entered".equals(c.getField("change"))) {
                            enteredLast.add(id);
                        }
                    });
            assertThat(enteredLast)
                    .as(key + ": segment_changes agree with the segments column")
                    .containsExactlyInAnyOrderElementsOf(
                            ((List<?>) row.getField("segments"))
                                    .stream().map(Object::toString).toList());
            if (expected.contains("lapsed_customers") && !plain.anyCancelled) {
                lapsed++;
                assertThat(millis(lastChange.get("lapsed_customers").getField("event_time")))
                        .as(key + " enters Lapsed 60 days + 1 ms after the last order")
                        .isEqualTo(plain.lastOrderAt + Duration.ofDays(60).toMillis() + 1);
                assertThat(lastChange.get("lapsed_customers").getField("rule_version"))
                        .isEqualTo(1L);
            }
        }
        assertThat(lapsed).as("the sample has lapsed customers").isPositive();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
