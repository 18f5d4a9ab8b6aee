package io.personalize.job.demo;

import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.events.Event;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.DeliveryTables;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.relocated.com.google.common.collect.Iterables;

/** Reads row counts and dead-letter reasons back from the tables, as an analyst would see them. */
public final class TableStatusReader {
    private TableStatusReader() {}

    public static Map<String, DemoSummary.TableStatus> read(CatalogSettings settings) {
        return settings.withCatalog(catalog -> read(catalog, settings));
    }

    private static Map<String, DemoSummary.TableStatus> read(
            Catalog catalog, CatalogSettings settings) {
        Map<String, DemoSummary.TableStatus> tables = new LinkedHashMap<>();
        for (TableDefinition definition : Tables.all()) {
            Table table = catalog.loadTable(definition.identifier(settings.icebergNamespace()));
            String metadata =
                    table instanceof HasTableOperations ops
                            ? ops.operations().current().metadataFileLocation()
                            : null;
            Snapshot current = table.currentSnapshot();
            tables.put(
                    definition.name(),
                    new DemoSummary.TableStatus(
                            TableReader.rowCount(table),
                            metadata,
                            summaryCount(current, "total-data-files"),
                            summaryCount(current, "total-delete-files"),
                            Iterables.size(table.snapshots())));
        }
        return tables;
    }

    /** A count the snapshot's summary keeps ({@code total-data-files}, ...); 0 when none. */
    private static long summaryCount(Snapshot snapshot, String key) {
        String value = snapshot == null ? null : snapshot.summary().get(key);
        return value == null ? 0 : Long.parseLong(value);
    }

    /**
     * {@code customer_features_history} against the {@code events} table: rows, customers, and of
     * the (customer, bucket) pairs with an event, how many have a row in that bucket.
     */
    static DemoSummary.HistoryCounts history(CatalogSettings settings, long bucketMillis) {
        long bucket = Math.max(1, bucketMillis);
        return settings.withCatalog(
                catalog -> {
                    Set<String> active = new HashSet<>();
                    Table events =
                            catalog.loadTable(
                                    Tables.EVENTS.identifier(settings.icebergNamespace()));
                    for (Record r :
                            TableReader.readAll(
                                    events, "customer_id", "anonymous_id", "occurred_at")) {
                        Object customerId = r.getField("customer_id");
                        String key =
                                customerId != null
                                        ? Event.CUSTOMER_KEY_PREFIX + customerId
                                        : Event.ANONYMOUS_KEY_PREFIX + r.getField("anonymous_id");
                        active.add(key + "@" + bucketOf(r.getField("occurred_at"), bucket));
                    }
                    Table history =
                            catalog.loadTable(
                                    Tables.CUSTOMER_FEATURES_HISTORY.identifier(
                                            settings.icebergNamespace()));
                    long rows = 0;
                    Set<Object> customers = new HashSet<>();
                    Set<String> written = new HashSet<>();
                    for (Record r : TableReader.readAll(history, "customer_key", "as_of")) {
                        rows++;
                        customers.add(r.getField("customer_key"));
                        written.add(
                                r.getField("customer_key")
                                        + "@"
                                        + bucketOf(r.getField("as_of"), bucket));
                    }
                    long withARow = active.stream().filter(written::contains).count();
                    return new DemoSummary.HistoryCounts(
                            rows, customers.size(), bucket, active.size(), withARow);
                });
    }

    private static long bucketOf(Object timestamptz, long bucket) {
        return Math.floorDiv(
                ((java.time.OffsetDateTime) timestamptz).toInstant().toEpochMilli(), bucket);
    }

    /**
     * Per segment: members now (from the {@code segments} column of {@code customer_features}), and
     * how often it was entered and left ({@code segment_changes}).
     */
    static Map<String, DemoSummary.SegmentCounts> segments(CatalogSettings settings) {
        return settings.withCatalog(
                catalog -> {
                    Map<String, long[]> counts = new TreeMap<>();
                    Table features =
                            catalog.loadTable(
                                    Tables.CUSTOMER_FEATURES.identifier(
                                            settings.icebergNamespace()));
                    for (var row : TableReader.readAll(features, "segments")) {
                        Object segments = row.getField("segments");
                        if (segments instanceof java.util.List<?> ids) {
                            ids.forEach(id -> slot(counts, id.toString())[0]++);
                        }
                    }
                    Table changes =
                            catalog.loadTable(
                                    Tables.SEGMENT_CHANGES.identifier(settings.icebergNamespace()));
                    for (var row : TableReader.readAll(changes, "segment_id", "change")) {
                        long[] slot = slot(counts, (String) row.getField("segment_id"));
                        slot["entered".equals(row.getField("change")) ? 1 : 2]++;
                    }
                    Map<String, DemoSummary.SegmentCounts> bySegment = new LinkedHashMap<>();
                    counts.forEach(
                            (id, c) ->
                                    bySegment.put(
                                            id, new DemoSummary.SegmentCounts(c[0], c[1], c[2])));
                    return bySegment;
                });
    }

    private static long[] slot(Map<String, long[]> counts, String segmentId) {
        return counts.computeIfAbsent(segmentId, id -> new long[3]);
    }

    /**
     * Abandonments by lifecycle status ({@code abandoned}, of them {@code repeat}, {@code
     * reminder_due}, {@code recovered}, {@code emptied}) and {@code browse_abandoned}.
     */
    static Map<String, Long> cartLifecycle(CatalogSettings settings) {
        return settings.withCatalog(
                catalog -> {
                    Table carts =
                            catalog.loadTable(
                                    Tables.CART_ABANDONMENTS.identifier(
                                            settings.icebergNamespace()));
                    Map<String, Long> byStatus = TableReader.countBy(carts, "status");
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (CartAbandonment.Status status : CartAbandonment.Status.values()) {
                        counts.put(status.wireName(), byStatus.getOrDefault(status.wireName(), 0L));
                    }
                    counts.put("abandoned_repeat", repeatAbandonments(carts));
                    counts.put(
                            "browse_abandoned",
                            TableReader.rowCount(
                                    catalog.loadTable(
                                            Tables.BROWSE_ABANDONMENTS.identifier(
                                                    settings.icebergNamespace()))));
                    return counts;
                });
    }

    /** Abandonments (rows of status abandoned, not their later statuses) that are repeats. */
    private static long repeatAbandonments(Table carts) {
        String abandoned = CartAbandonment.Status.ABANDONED.wireName();
        long count = 0;
        for (Record r : TableReader.readAll(carts, "status", "repeat")) {
            if (abandoned.equals(r.getField("status"))
                    && Boolean.TRUE.equals(r.getField("repeat"))) {
                count++;
            }
        }
        return count;
    }

    /** The scores table by "model version (role)". */
    static Map<String, DemoSummary.ScoreCounts> scores(CatalogSettings settings) {
        return settings.withCatalog(
                catalog -> {
                    Table scores =
                            catalog.loadTable(
                                    Tables.SCORES.identifier(settings.icebergNamespace()));
                    Map<String, long[]> counts = new TreeMap<>();
                    Map<String, Double> sums = new HashMap<>();
                    Map<String, Set<Object>> customers = new HashMap<>();
                    for (Record r :
                            TableReader.readAll(
                                    scores,
                                    "model",
                                    "version",
                                    "role",
                                    "score",
                                    "fallback",
                                    "customer_key")) {
                        String key =
                                r.getField("model")
                                        + " "
                                        + r.getField("version")
                                        + " ("
                                        + r.getField("role")
                                        + ")";
                        long[] c = counts.computeIfAbsent(key, k -> new long[2]);
                        c[0]++;
                        if (Boolean.TRUE.equals(r.getField("fallback"))) {
                            c[1]++;
                        }
                        sums.merge(key, (Double) r.getField("score"), Double::sum);
                        customers
                                .computeIfAbsent(key, k -> new HashSet<>())
                                .add(r.getField("customer_key"));
                    }
                    Map<String, DemoSummary.ScoreCounts> out = new LinkedHashMap<>();
                    counts.forEach(
                            (key, c) ->
                                    out.put(
                                            key,
                                            new DemoSummary.ScoreCounts(
                                                    c[0],
                                                    customers.get(key).size(),
                                                    c[1],
                                                    sums.get(key) / c[0])));
                    return out;
                });
    }

    /**
     * Decisions by flow and final outcome: the latest row of each {@code decision_id} (a deferred
     * decision that was later sent counts as {@code to_send}; one still waiting at the end of the
     * input as {@code deferred}).
     */
    public static Map<String, Map<String, Long>> decisions(CatalogSettings settings) {
        return settings.withCatalog(
                catalog -> {
                    Table decisions =
                            catalog.loadTable(
                                    Tables.DECISIONS.identifier(settings.icebergNamespace()));
                    Map<String, Map<String, Long>> out = new TreeMap<>();
                    for (Record r : latestDecisions(decisions).values()) {
                        out.computeIfAbsent((String) r.getField("flow_id"), f -> new TreeMap<>())
                                .merge((String) r.getField("outcome"), 1L, Long::sum);
                    }
                    return out;
                });
    }

    /** How many reasons of each outcome {@link #decisionReasons} lists. */
    static final int TOP_REASONS = 5;

    /**
     * Why decisions were not sent: for the final outcomes {@code suppressed} and {@code deferred},
     * the most frequent reasons (each reason once per decision) with their counts, most frequent
     * first, at most {@link #TOP_REASONS} per outcome; e.g. {@code suppressed -> {no_consent:
     * unknown=1200}}.
     */
    static Map<String, Map<String, Long>> decisionReasons(CatalogSettings settings) {
        return settings.withCatalog(
                catalog -> {
                    Table decisions =
                            catalog.loadTable(
                                    Tables.DECISIONS.identifier(settings.icebergNamespace()));
                    Map<String, Map<String, Long>> counts = new TreeMap<>();
                    for (Record r : latestDecisions(decisions).values()) {
                        String outcome = (String) r.getField("outcome");
                        if (!"suppressed".equals(outcome) && !"deferred".equals(outcome)) {
                            continue;
                        }
                        Object reasons = r.getField("reasons");
                        if (reasons instanceof java.util.List<?> list) {
                            for (Object reason : new HashSet<>(list)) {
                                counts.computeIfAbsent(outcome, o -> new HashMap<>())
                                        .merge(String.valueOf(reason), 1L, Long::sum);
                            }
                        }
                    }
                    Map<String, Map<String, Long>> top = new LinkedHashMap<>();
                    counts.forEach((outcome, byReason) -> top.put(outcome, top(byReason)));
                    return top;
                });
    }

    private static Map<String, Long> top(Map<String, Long> byReason) {
        Map<String, Long> top = new LinkedHashMap<>();
        byReason.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Long>comparingByValue()
                                .reversed()
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_REASONS)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    /**
     * The final outcome of every decision in the decision log (which records each change of
     * outcome): the row decided last, by event time, then processing time. Columns {@code
     * decision_id}, {@code flow_id}, {@code variant}, {@code outcome}, {@code reasons}.
     */
    public static Map<String, Record> latestDecisions(Table decisions) {
        Map<String, Record> latest = new HashMap<>();
        for (Record r :
                TableReader.readAll(
                        decisions,
                        "decision_id",
                        "flow_id",
                        "variant",
                        "outcome",
                        "reasons",
                        "decided_at",
                        "processed_at")) {
            latest.merge((String) r.getField("decision_id"), r, (a, b) -> later(b, a) ? b : a);
        }
        return latest;
    }

    @SuppressWarnings("unchecked") // timestamps read back are comparable (OffsetDateTime)
    private static boolean later(Record a, Record b) {
        int byDecided =
                ((Comparable<Object>) a.getField("decided_at")).compareTo(b.getField("decided_at"));
        return byDecided != 0
                ? byDecided > 0
                : ((Comparable<Object>) a.getField("processed_at"))
                                .compareTo(b.getField("processed_at"))
                        > 0;
    }

    public static Map<String, Long> deadLettersByReason(CatalogSettings settings) {
        return settings.withCatalog(
                catalog ->
                        TableReader.countBy(
                                catalog.loadTable(
                                        Tables.DEAD_LETTERS.identifier(
                                                settings.icebergNamespace())),
                                "reason"));
    }

    /**
     * Deliveries by flow and status, one per decision: delivered when any attempt series delivered
     * it (a restore may have recorded it twice).
     */
    static Map<String, Map<String, Long>> deliveries(CatalogSettings settings) {
        return settings.withCatalog(
                catalog -> {
                    Table deliveries =
                            catalog.loadTable(
                                    DeliveryTables.DELIVERIES.identifier(
                                            settings.icebergNamespace()));
                    Map<String, Record> byDecision = new HashMap<>();
                    for (Record r :
                            TableReader.readAll(deliveries, "decision_id", "flow_id", "status")) {
                        byDecision.merge(
                                (String) r.getField("decision_id"),
                                r,
                                (a, b) -> "delivered".equals(a.getField("status")) ? a : b);
                    }
                    Map<String, Map<String, Long>> out = new TreeMap<>();
                    for (Record r : byDecision.values()) {
                        out.computeIfAbsent((String) r.getField("flow_id"), f -> new TreeMap<>())
                                .merge((String) r.getField("status"), 1L, Long::sum);
                    }
                    return out;
                });
    }

    static Map<String, Long> conversions(CatalogSettings settings) {
        return settings.withCatalog(
                catalog ->
                        TableReader.countBy(
                                catalog.loadTable(
                                        DeliveryTables.CONVERSIONS.identifier(
                                                settings.icebergNamespace())),
                                "kind"));
    }
}
