package io.personalize.job.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a demo run did: counts per stage (from the job's accumulators) and per table (read back from
 * the tables), and where everything is. Printed, and written to {@code summary.json}.
 */
public record DemoSummary(
        String input,
        double elapsedSeconds,
        long recordsRead,
        long eventsValid,
        long duplicates,
        long guestRows,
        Map<String, Long> deadLettersByReason,
        Map<String, TableStatus> tables,
        HistoryCounts history,
        Map<String, SegmentCounts> segments,
        Map<String, Long> cartLifecycle,
        Map<String, ScoreCounts> scores,
        Map<String, Map<String, Long>> decisions,
        Map<String, Map<String, Long>> decisionReasons,
        Map<String, Map<String, Long>> deliveries,
        Map<String, Long> conversions,
        EndpointCounts endpoint,
        String warehouse,
        String catalogUri,
        String namespace) {

    /**
     * Rows and the current metadata file of one table, its data and delete files (current snapshot)
     * and how many snapshots it keeps.
     */
    public record TableStatus(
            long rows, String metadataLocation, long dataFiles, long deleteFiles, int snapshots) {}

    /** Data files of every table's current snapshot together. */
    public long dataFiles() {
        return tables.values().stream().mapToLong(TableStatus::dataFiles).sum();
    }

    /**
     * {@code customer_features_history} against the {@code events} table: its rows and customers,
     * the (customer, event-time bucket) pairs with at least one event of the customer, and how many
     * of them have their row (all, when every closed bucket was written).
     */
    public record HistoryCounts(
            long rows,
            long customers,
            long bucketMillis,
            long activeCustomerBuckets,
            long activeCustomerBucketsWithARow) {
        public double rowsPerCustomer() {
            return customers == 0 ? 0.0 : (double) rows / customers;
        }
    }

    /** Members of a segment now, and how often it was entered and left during the run. */
    public record SegmentCounts(long members, long entered, long exited) {}

    /**
     * Rows of the {@code scores} table of one model version and role: how many, for how many
     * customers, how many from the fallback rule, and the mean score.
     */
    public record ScoreCounts(long rows, long customers, long fallbacks, double meanScore) {}

    /**
     * What the demo's local trigger endpoint accepted (distinct webhook ids by flow), the
     * duplicates it acknowledged again and the requests it refused (bad signature).
     */
    public record EndpointCounts(
            String file, Map<String, Long> acceptedByFlow, long duplicates, long rejected) {}

    public long deadLetters() {
        return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public void writeJson(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("input", input);
        json.put("elapsed_seconds", Math.round(elapsedSeconds * 10) / 10.0);
        json.put("records_read", recordsRead);
        json.put("events_valid", eventsValid);
        json.put("duplicates_dropped", duplicates);
        json.put("events_written", eventsValid - duplicates);
        json.put("guest_rows_skipped", guestRows);
        json.put("dead_letters", Map.of("total", deadLetters(), "by_reason", deadLettersByReason));
        Map<String, Object> tableJson = new LinkedHashMap<>();
        tables.forEach(
                (name, status) ->
                        tableJson.put(
                                name,
                                Map.of(
                                        "rows", status.rows(),
                                        "metadata", status.metadataLocation(),
                                        "data_files", status.dataFiles(),
                                        "delete_files", status.deleteFiles(),
                                        "snapshots", status.snapshots())));
        json.put("tables", tableJson);
        json.put("data_files", dataFiles());
        json.put(
                "customer_features_history",
                Map.of(
                        "rows", history.rows(),
                        "customers", history.customers(),
                        "rows_per_customer", Math.round(history.rowsPerCustomer() * 100) / 100.0,
                        "bucket_ms", history.bucketMillis(),
                        "active_customer_buckets", history.activeCustomerBuckets(),
                        "active_customer_buckets_with_a_row",
                                history.activeCustomerBucketsWithARow()));
        Map<String, Object> segmentJson = new LinkedHashMap<>();
        segments.forEach(
                (id, c) ->
                        segmentJson.put(
                                id,
                                Map.of(
                                        "members",
                                        c.members(),
                                        "entered",
                                        c.entered(),
                                        "exited",
                                        c.exited())));
        json.put("segments", segmentJson);
        json.put("cart_abandonments", cartLifecycle);
        Map<String, Object> scoreJson = new LinkedHashMap<>();
        scores.forEach(
                (model, c) ->
                        scoreJson.put(
                                model,
                                Map.of(
                                        "rows", c.rows(),
                                        "customers", c.customers(),
                                        "fallbacks", c.fallbacks(),
                                        "mean_score", c.meanScore())));
        json.put("scores", scoreJson);
        json.put("decisions", decisions);
        json.put("decision_reasons", decisionReasons);
        json.put("deliveries", deliveries);
        json.put("conversions", conversions);
        if (endpoint != null) {
            json.put(
                    "endpoint",
                    Map.of(
                            "file", endpoint.file(),
                            "accepted_by_flow", endpoint.acceptedByFlow(),
                            "duplicates", endpoint.duplicates(),
                            "rejected", endpoint.rejected()));
        }
        json.put("warehouse", warehouse);
        json.put("catalog_uri", catalogUri);
        json.put("namespace", namespace);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), json);
    }

    public void print(PrintStream out) {
        out.println();
        out.println("== personalize demo: summary ==");
        out.printf("input                 %s%n", input);
        out.printf("records read          %,d in %.1f s%n", recordsRead, elapsedSeconds);
        out.printf("valid events          %,d (%,d duplicates dropped)%n", eventsValid, duplicates);
        if (guestRows > 0) {
            out.printf(
                    "guest rows            %,d without a customer id: in events, not in features,"
                            + " segments or decisions (personalize.input.guest-rows=skip)%n",
                    guestRows);
        }
        out.printf("dead letters          %,d%n", deadLetters());
        deadLettersByReason.forEach((reason, count) -> out.printf("  %-20s%,d%n", reason, count));
        out.println("tables (rows read back from Iceberg; data files, delete files, snapshots)");
        tables.forEach(
                (name, status) ->
                        out.printf(
                                "  %-28s%,11d rows %,6d data files %,5d delete files %,4d"
                                        + " snapshots%n",
                                name,
                                status.rows(),
                                status.dataFiles(),
                                status.deleteFiles(),
                                status.snapshots()));
        out.printf("  %-28s%,33d data files%n", "all tables", dataFiles());
        out.printf(
                "customer_features_history   %.1f rows per customer (%,d customers); %,d of %,d"
                        + " customer-buckets with events (bucket %s) have their row%n",
                history.rowsPerCustomer(),
                history.customers(),
                history.activeCustomerBucketsWithARow(),
                history.activeCustomerBuckets(),
                java.time.Duration.ofMillis(history.bucketMillis())
                        .toString()
                        .substring(2)
                        .toLowerCase(java.util.Locale.ROOT));
        out.println("segments (members now, entered and exited during the run)");
        segments.forEach(
                (id, c) ->
                        out.printf(
                                "  %-28s%,8d members %,8d entered %,8d exited%n",
                                id, c.members(), c.entered(), c.exited()));
        out.println("abandonment (cart_abandonments by status, browse_abandonments)");
        cartLifecycle.forEach((status, count) -> out.printf("  %-28s%,d%n", status, count));
        out.println("scores (scores table by model, version and role)");
        scores.forEach(
                (model, c) ->
                        out.printf(
                                "  %-40s%,8d rows %,8d customers %,6d fallbacks  mean %.4f%n",
                                model, c.rows(), c.customers(), c.fallbacks(), c.meanScore()));
        out.println("decisions (final outcome per decision, by flow)");
        printByFlow(out, decisions);
        printReasons(out);
        out.println("deliveries (deliveries table: triggers by flow and outcome)");
        printByFlow(out, deliveries);
        if (endpoint != null) {
            out.printf(
                    "trigger endpoint      %,d accepted (signature checked), %,d duplicates"
                            + " acknowledged, %,d refused -> %s%n",
                    endpoint.acceptedByFlow().values().stream().mapToLong(Long::longValue).sum(),
                    endpoint.duplicates(),
                    endpoint.rejected(),
                    endpoint.file());
        }
        out.println("conversions (conversions table by kind)");
        conversions.forEach((kind, count) -> out.printf("  %-28s%,d%n", kind, count));
        out.printf("warehouse             %s%n", warehouse);
        out.printf("catalog               %s (namespace %s)%n", catalogUri, namespace);
        out.println();
        out.println("Query the tables, e.g. with PyIceberg:");
        out.printf(
                "  from pyiceberg.catalog.sql import SqlCatalog%n"
                        + "  catalog = SqlCatalog('personalize', uri='%s', warehouse='%s')%n"
                        + "  catalog.load_table('%s.events').scan().to_pandas()%n",
                catalogUri.replace("jdbc:sqlite:", "sqlite:///"), warehouse, namespace);
        out.println("or with Spark SQL (Spark 4.0; Iceberg's runtime and SQLite's driver):");
        out.printf(
                "  spark-sql --packages %s \\%n"
                        + "    --conf spark.sql.catalog.personalize=%s \\%n"
                        + "    --conf spark.sql.catalog.personalize.type=jdbc \\%n"
                        + "    --conf spark.sql.catalog.personalize.uri=%s \\%n"
                        + "    --conf spark.sql.catalog.personalize.warehouse=%s \\%n"
                        + "    --conf spark.sql.catalog.personalize.jdbc.schema-version=V1 \\%n"
                        + "    -e \"SELECT outcome, count(*) FROM personalize.%s.decisions GROUP"
                        + " BY 1\"%n",
                SPARK_PACKAGES,
                "org.apache.iceberg.spark.SparkCatalog",
                catalogUri,
                warehouse,
                namespace);
        TableStatus events = tables.get("events");
        if (events != null && events.metadataLocation() != null) {
            out.println("or with DuckDB (iceberg extension):");
            out.printf(
                    "  SELECT event_type, count(*) FROM iceberg_scan('%s') GROUP BY 1;%n",
                    events.metadataLocation());
        }
    }

    /** What {@code spark-sql --packages} needs to read the demo's catalog (Maven coordinates). */
    static final String SPARK_PACKAGES =
            "org.apache.iceberg:iceberg-spark-runtime-4.0_2.13:1.11.0,"
                    + "org.xerial:sqlite-jdbc:3.50.3.0";

    /**
     * Why decisions were not sent, so that "0 deliveries because consent is unknown" or "every
     * event fell in quiet hours" shows.
     */
    private void printReasons(PrintStream out) {
        decisionReasons.forEach(
                (outcome, byReason) -> {
                    out.printf("  top reasons %s%n", outcome);
                    byReason.forEach(
                            (reason, count) -> out.printf("    %-36s%,d%n", reason, count));
                });
    }

    /** One line per flow: each outcome and its count. */
    private static void printByFlow(PrintStream out, Map<String, Map<String, Long>> byFlow) {
        byFlow.forEach(
                (flow, outcomes) -> {
                    StringBuilder line = new StringBuilder();
                    outcomes.forEach(
                            (outcome, count) ->
                                    line.append(String.format("  %s %,d", outcome, count)));
                    out.printf("  %-28s%s%n", flow, line);
                });
    }
}
