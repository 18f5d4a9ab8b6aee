package io.personalize.job.cli;

import static io.personalize.job.EnvelopeLines.event;
import static io.personalize.job.EnvelopeLines.product;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.training.TrainingSet;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.demo.DemoRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code training-set} over a warehouse the job wrote (150 days of hand-made history): one row per
 * customer and weekly snapshot time, features as of that time only (an order after it does not
 * count), labels from what came after it, a visitor's anonymous views under the customer they
 * logged in as, and the same rows as CSV and as Parquet.
 */
class TrainingSetITCase {
    private static final int DAY = 24 * 60;

    @TempDir static Path tmp;
    private static Path warehouse;

    @BeforeAll
    static void runTheJob() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(event("b-view", "product_view", 2 * DAY, "buyer", null, product("p-1", 20)));
        lines.add(event("b-o1", "order_completed", 10 * DAY, "buyer", null, order("o-1", 20)));
        lines.add(event("b-o2", "order_completed", 50 * DAY, "buyer", null, order("o-2", 35)));
        lines.add(event("v-view", "product_view", 5 * DAY, null, "v-1", product("p-2", 9)));
        lines.add(event("v-login", "identify", 6 * DAY, "visitor", "v-1", ""));
        lines.add(event("v-o1", "order_completed", 100 * DAY, "visitor", null, order("o-3", 9)));
        lines.add(event("n-view", "product_view", 3 * DAY, null, "never", product("p-3", 5)));
        lines.add(event("clock", "product_view", 150 * DAY, "clock", null, product("p-9", 1)));
        Path input = tmp.resolve("history.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);
        Path output = tmp.resolve("out");
        new DemoRunner(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(
                        new DemoRunner.Options(
                                output, 0, 1, input, InputFormat.ENVELOPE, false, true),
                        ConfigLoader.load(
                                null, Map.of(), List.of("personalize.restart.attempts=0")));
        warehouse = output.resolve("warehouse");
    }

    @Test
    void pointInTimeRowsWithLabelsFromTheEventsTableAsCsv() throws Exception {
        Path csv = tmp.resolve("set.csv");
        run(csv);
        Map<String, CSVRecord> rows = new HashMap<>();
        List<String> header;
        try (Reader in = Files.newBufferedReader(csv)) {
            var parsed = CSVFormat.RFC4180.builder().setHeader().get().parse(in);
            header = parsed.getHeaderNames();
            for (CSVRecord row : parsed) {
                rows.put(row.get("customer_key") + " " + row.get("as_of").substring(0, 10), row);
            }
        }
        assertThat(header)
                .startsWith("customer_key", "as_of")
                .contains("lifetime_orders", "product_views_7d", "category_affinity")
                .endsWith(
                        "orders_next_30d",
                        "orders_next_60d",
                        "net_revenue_next_90d",
                        "purchased_next_30d",
                        "churned_next_60d");
        // snapshots every 7 days from day 7 while 90 days of history follow: days 7 .. 56
        assertThat(rows.keySet().stream().filter(k -> k.startsWith("c:buyer "))).hasSize(8);
        assertThat(rows.keySet()).noneMatch(k -> k.startsWith("a:"));

        CSVRecord before = rows.get("c:buyer 2025-03-08"); // day 7: the first order is on day 10
        assertThat(before.get("lifetime_orders")).isEqualTo("0");
        assertThat(before.get("orders_next_30d")).isEqualTo("1");
        assertThat(before.get("purchased_next_30d")).isEqualTo("1");
        assertThat(before.get("churned_next_60d")).as("never bought yet").isEmpty();
        CSVRecord after = rows.get("c:buyer 2025-03-15"); // day 14
        assertThat(after.get("lifetime_orders")).isEqualTo("1");
        assertThat(after.get("lifetime_revenue")).isEqualTo("20.0");
        assertThat(after.get("orders_next_60d")).isEqualTo("1");
        assertThat(after.get("churned_next_60d")).isEqualTo("0");
        CSVRecord last = rows.get("c:buyer 2025-04-26"); // day 56: nothing in the next 60 days
        assertThat(last.get("lifetime_orders")).isEqualTo("2");
        assertThat(last.get("churned_next_60d")).isEqualTo("1");
        assertThat(last.get("net_revenue_next_90d")).isEqualTo("0.0");

        CSVRecord visitor = rows.get("c:visitor 2025-03-08");
        assertThat(visitor.get("product_views_7d"))
                .as("the anonymous view of day 5, under the customer who logged in on day 6")
                .isEqualTo("1");
        assertThat(rows.get("c:visitor 2025-04-26").get("net_revenue_next_90d")).isEqualTo("9.0");
    }

    @Test
    void theSameRowsAsParquet() throws Exception {
        Path csv = tmp.resolve("same.csv");
        Path parquet = tmp.resolve("same.parquet");
        run(csv);
        run(parquet);
        List<CSVRecord> csvRows;
        try (Reader in = Files.newBufferedReader(csv)) {
            csvRows = CSVFormat.RFC4180.builder().setHeader().get().parse(in).getRecords();
        }
        List<Record> parquetRows = new ArrayList<>();
        org.apache.iceberg.io.InputFile file =
                org.apache.iceberg.Files.localInput(parquet.toFile());
        Schema schema =
                TrainingSetCommand.parquetSchema(
                        new TrainingSet(FeatureConfig.defaults(), DeclaredFeatures.none()));
        try (CloseableIterable<Record> rows =
                Parquet.read(file)
                        .project(schema)
                        .createReaderFunc(s -> GenericParquetReaders.buildReader(schema, s))
                        .build()) {
            rows.forEach(parquetRows::add);
        }
        assertThat(parquetRows).hasSameSizeAs(csvRows);
        for (int i = 0; i < csvRows.size(); i++) {
            CSVRecord expected = csvRows.get(i);
            Record actual = parquetRows.get(i);
            assertThat(actual.getField("customer_key")).isEqualTo(expected.get("customer_key"));
            assertThat(((OffsetDateTime) actual.getField("as_of")).toInstant())
                    .isEqualTo(Instant.parse(expected.get("as_of")));
            assertThat(String.valueOf(actual.getField("lifetime_orders")))
                    .isEqualTo(expected.get("lifetime_orders"));
            assertThat(String.valueOf(actual.getField("net_revenue_next_90d")))
                    .isEqualTo(expected.get("net_revenue_next_90d"));
        }
    }

    private static void run(Path output) {
        StringWriter err = new StringWriter();
        int exit =
                PersonalizeCli.execute(
                        new PrintWriter(err),
                        "training-set",
                        "--warehouse",
                        warehouse.toString(),
                        "--output",
                        output.toString(),
                        "--every",
                        "7 d",
                        "--from",
                        "2025-03-08");
        assertThat(exit).as("exit code; stderr: %s", err).isZero();
    }

    private static String order(String orderId, double price) {
        return ",\"order\":{\"order_id\":\""
                + orderId
                + "\",\"total\":"
                + price
                + ",\"items\":[{\"product_id\":\"p-1\",\"price\":"
                + price
                + ",\"quantity\":1}]}";
    }
}
