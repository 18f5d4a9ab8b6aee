package io.personalize.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.adapters.InputFormat;
import io.personalize.job.cli.PersonalizeCli;
import io.personalize.job.config.ConfigLoader;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end: generated or given input, a local MiniCluster, real Iceberg tables. */
class DemoITCase {
    @TempDir Path tmp;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private DemoSummary runDemo(DemoRunner.Options options, String... settings) throws Exception {
        List<String> set =
                new java.util.ArrayList<>(
                        List.of("personalize.checkpoint.interval=1 s", "parallelism.default=2"));
        set.addAll(List.of(settings));
        Configuration conf = ConfigLoader.load(null, Map.of(), set);
        return new DemoRunner(new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(options, conf);
    }

    private Table table(String name) {
        CatalogSettings catalog =
                CatalogSettings.localSqlite(tmp.resolve("out/warehouse"), "personalize");
        return catalog.catalogLoader()
                .loadCatalog()
                .loadTable(
                        Tables.all().stream()
                                .filter(t -> t.name().equals(name))
                                .findFirst()
                                .orElseThrow()
                                .identifier(catalog.icebergNamespace()));
    }

    @Test
    void demoOnGeneratedDataWritesTablesThatMatchItsSummary() throws Exception {
        DemoSummary summary =
                runDemo(
                        new DemoRunner.Options(
                                tmp.resolve("out"), 8_000, 7, null, InputFormat.ENVELOPE, false));

        assertThat(summary.recordsRead()).isEqualTo(8_000);
        Table events = table("events");
        Table deadLetters = table("dead_letters");
        List<Record> eventRows = TableReader.readAll(events, "event_id", "payload");
        assertThat(eventRows).hasSize((int) (summary.eventsValid() - summary.duplicates()));
        assertThat(eventRows.stream().map(r -> r.getField("event_id")).distinct().count())
                .isEqualTo(eventRows.size());
        assertThat(eventRows)
                .allSatisfy(
                        r ->
                                assertThat((String) r.getField("payload"))
                                        .doesNotContain("@example.com"));
        assertThat(TableReader.rowCount(deadLetters))
                .isEqualTo(summary.recordsRead() - summary.eventsValid());
        assertThat(summary.deadLettersByReason()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(summary.tables().get("events").rows()).isEqualTo(eventRows.size());

        JsonNode json = new ObjectMapper().readTree(tmp.resolve("out/summary.json").toFile());
        assertThat(json.get("tables").get("events").get("rows").asLong())
                .isEqualTo(eventRows.size());
        assertThat(json.get("dead_letters").get("total").asLong()).isEqualTo(summary.deadLetters());
        // maintained once done (retention 0 in a demo): one snapshot, no deletes, few files
        assertThat(summary.tables())
                .allSatisfy(
                        (name, status) -> {
                            assertThat(status.snapshots()).as(name).isLessThanOrEqualTo(1);
                            assertThat(status.deleteFiles()).as(name).isZero();
                        });
        assertThat(summary.dataFiles()).isBetween(1L, 300L);
        assertThat(json.get("data_files").asLong()).isEqualTo(summary.dataFiles());
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("maintaining the tables", "data files compacted into");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("records read", "dead letters", "warehouse", "summary written to")
                .contains(
                        "spark-sql --packages " + DemoSummary.SPARK_PACKAGES,
                        "spark.sql.catalog.personalize.uri=jdbc:sqlite:"
                                + tmp.resolve("out/warehouse/catalog.db").toAbsolutePath(),
                        "FROM personalize.personalize.decisions");

        // every customer is scored by every shipped model, the challenger in the shadow
        long customers = TableReader.rowCount(table("customer_features"));
        assertThat(summary.scores())
                .containsOnlyKeys(
                        "churn_risk 1 (champion)",
                        "customer_clusters 1 (champion)",
                        "customer_ltv 1 (champion)",
                        "purchase_propensity 1 (champion)",
                        "purchase_propensity 1-logistic (shadow)");
        assertThat(summary.scores().values())
                .allSatisfy(
                        c -> {
                            assertThat(c.customers()).isEqualTo(customers);
                            assertThat(c.fallbacks()).isZero();
                        });
        assertThat(summary.scores().get("purchase_propensity 1 (champion)").meanScore())
                .isBetween(0.0, 1.0);
        assertThat(summary.deadLettersByReason()).doesNotContainKey("invalid_model");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("scores (scores table");

        // every decision to send reached the local endpoint, signed, under its decision id
        Set<String> toSend = new HashSet<>();
        TableStatusReader.latestDecisions(table("decisions"))
                .forEach(
                        (id, r) -> {
                            if ("to_send".equals(r.getField("outcome"))) {
                                toSend.add(id);
                            }
                        });
        assertThat(toSend).isNotEmpty();

        // decisions_latest holds each decision once, with the last outcome the log has for it
        Map<String, Object> finalOutcomes = new HashMap<>();
        TableStatusReader.latestDecisions(table("decisions"))
                .forEach((id, r) -> finalOutcomes.put(id, r.getField("outcome")));
        Map<String, Object> latestTable = new HashMap<>();
        for (Record r : TableReader.readAll(table("decisions_latest"), "decision_id", "outcome")) {
            assertThat(latestTable.put((String) r.getField("decision_id"), r.getField("outcome")))
                    .as("one row per decision")
                    .isNull();
        }
        assertThat(latestTable).isEqualTo(finalOutcomes);
        assertThat(TableReader.rowCount(table("decisions")))
                .as("the log has a row more for each decision deferred first")
                .isGreaterThan(latestTable.size());

        Set<String> delivered = new HashSet<>();
        for (Record r : TableReader.readAll(table("deliveries"), "decision_id", "status")) {
            assertThat(r.getField("status")).isEqualTo("delivered");
            delivered.add((String) r.getField("decision_id"));
        }
        assertThat(delivered).isEqualTo(toSend);
        List<String> received = Files.readAllLines(tmp.resolve("out/deliveries.jsonl"));
        Set<String> receivedIds = new HashSet<>();
        for (String line : received) {
            JsonNode request = new ObjectMapper().readTree(line);
            assertThat(request.get("webhook_id").asText())
                    .isEqualTo(request.at("/trigger/data/decision_id").asText());
            receivedIds.add(request.get("webhook_id").asText());
        }
        assertThat(receivedIds).isEqualTo(toSend);
        assertBrowseEmailsArriveWhole(received);
        assertThat(summary.endpoint().rejected()).isZero();
        assertThat(summary.endpoint().acceptedByFlow().values().stream().mapToLong(n -> n).sum())
                .isEqualTo(toSend.size());

        // the experiment report reads the demo's tables and draws its chart
        Path report = tmp.resolve("report");
        assertThat(
                        PersonalizeCli.execute(
                                "report",
                                "experiments",
                                "--warehouse",
                                tmp.resolve("out/warehouse").toString(),
                                "--output",
                                report.toString()))
                .isZero();
        BufferedImage chart = ImageIO.read(report.resolve("experiments.png").toFile());
        assertThat(chart.getWidth()).isGreaterThanOrEqualTo(900);
        List<String> csv = Files.readAllLines(report.resolve("experiments.csv"));
        assertThat(csv.get(0)).startsWith("flow_id,variant,decisions,conversions");
        assertThat(csv.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[2])).sum())
                .as("one decision counted per sent or held-out decision")
                .isGreaterThanOrEqualTo(toSend.size());
    }

    /**
     * Every browse-abandonment email the endpoint received shows the browsed product as the catalog
     * describes it and three recommendations of other products, in its variables, its blocks and
     * its recommendations.
     */
    private static void assertBrowseEmailsArriveWhole(List<String> received) throws Exception {
        List<JsonNode> browse = new java.util.ArrayList<>();
        for (String line : received) {
            JsonNode data = new ObjectMapper().readTree(line).at("/trigger/data");
            if ("browse_abandonment".equals(data.get("flow_id").asText())) {
                browse.add(data);
            }
        }
        assertThat(browse).as("browse-abandonment deliveries").isNotEmpty();
        for (JsonNode data : browse) {
            JsonNode vars = data.get("variables");
            String productId = vars.path("browsed_product_id").asText();
            assertThat(productId).as("%s", data).isNotEmpty();
            assertThat(vars.path("browsed_product_name").asText()).as("%s", vars).isNotEmpty();
            assertThat(vars.path("browsed_product_price").asText())
                    .as("%s", vars)
                    .matches("\\d+\\.\\d{2}");
            assertThat(vars.path("browsed_product_image_url").asText())
                    .as("%s", vars)
                    .startsWith("https://");
            JsonNode recommendations = data.get("recommendations");
            assertThat(recommendations).as("%s", data).hasSize(3);
            for (JsonNode r : recommendations) {
                assertThat(r.path("product_id").asText()).isNotEmpty().isNotEqualTo(productId);
                assertThat(r.path("name").asText()).as("%s", r).isNotEmpty();
            }
            assertThat(vars.path("product_3_id").asText())
                    .isEqualTo(recommendations.get(2).get("product_id").asText());
            assertThat(data.at("/blocks/0/id").asText()).isEqualTo("browsed_products");
            assertThat(data.at("/blocks/0/products/0/product_id").asText()).isEqualTo(productId);
            assertThat(data.at("/blocks/1/id").asText()).isEqualTo("recommendations");
            assertThat(data.at("/blocks/1/products")).hasSize(3);
        }
    }

    @Test
    void demoReadsARetailExportWithCrlfCancellationsMissingCustomersAndATruncatedLastLine()
            throws Exception {
        Path csv = tmp.resolve("online_retail.csv");
        Files.writeString(
                csv,
                "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\r\n"
                        + "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\r\n"
                        + "536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom\r\n"
                        + "536367,84879,\"ASSORTED COLOUR BIRD ORNAMENT, LARGE\",32,12/1/2010 8:34,1.69,13047.0,United Kingdom\r\n"
                        + "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527,United Kingdom\r\n"
                        + "536414,22139,,56,2010-12-01 11:52:00,0,,United Kingdom\r\n"
                        + "536544,21773,DECORATIVE BOX,1,2010-12-01 14:32:00,2.51,NA,United Kingdom\r\n"
                        + "536589,21777,,-10,2010-12-01 16:50:00,0,,United Kingdom\r\n"
                        + "536590,21777,RECIPE BOX,2,2010-12-01 16");

        DemoSummary summary =
                runDemo(
                        new DemoRunner.Options(
                                tmp.resolve("out"), 0, 0, csv, InputFormat.RETAIL_CSV, false));

        assertThat(summary.eventsValid()).isEqualTo(6);
        assertThat(summary.deadLettersByReason())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("invalid_quantity", 1L, "malformed_csv", 1L));
        assertThat(TableReader.countBy(table("events"), "event_type"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("order_line", 5L, "order_cancelled", 1L));
        assertThat(TableReader.countBy(table("events"), "order_id")).hasSize(5);
        assertThat(TableReader.countBy(table("events"), "anonymous_id"))
                .containsKeys("invoice:536414", "invoice:536544");
    }

    /**
     * The R write.csv sample of core's RetailExportImportTest (BOM, quoted header, NA, shuffled,
     * trailing empty line). The retention covers the year so that no row is too old: ordering
     * bounded history by event time is not this test's subject.
     */
    @Test
    void demoOnAnRExportSkipsGuestRowsAndSaysWhyNothingWasSent() throws Exception {
        Path csv =
                Path.of("..", "core", "src", "test", "resources", "imports")
                        .resolve("online_retail_r_sample.csv");

        DemoSummary summary =
                runDemo(
                        new DemoRunner.Options(
                                tmp.resolve("out"), 0, 0, csv, InputFormat.RETAIL_CSV, false),
                        "personalize.events.retention=400 d");

        assertThat(summary.deadLettersByReason()).isEmpty();
        assertThat(summary.eventsValid()).isEqualTo(29);
        assertThat(summary.guestRows()).isEqualTo(3);
        assertThat(TableReader.rowCount(table("events"))).isEqualTo(29);
        assertThat(TableReader.countBy(table("customer_features"), "customer_key")).hasSize(4);
        Map<String, Map<String, Long>> finalOutcomes = summary.decisions();
        long suppressed =
                finalOutcomes.values().stream()
                        .mapToLong(byOutcome -> byOutcome.getOrDefault("suppressed", 0L))
                        .sum();
        assertThat(suppressed).as("decisions to explain").isPositive();
        assertThat(finalOutcomes.values()).noneMatch(byOutcome -> byOutcome.containsKey("to_send"));
        assertThat(summary.decisionReasons().get("suppressed"))
                .containsEntry("no_consent: unknown", suppressed);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("top reasons suppressed")
                .contains("guest rows            3");
    }

    @Test
    void demoOnAnRExportWithConsentGrantedByDefaultDecidesWithoutConsentSuppressions()
            throws Exception {
        Path csv =
                Path.of("..", "core", "src", "test", "resources", "imports")
                        .resolve("online_retail_r_sample.csv");

        DemoSummary summary =
                runDemo(
                        new DemoRunner.Options(
                                tmp.resolve("out"), 0, 0, csv, InputFormat.RETAIL_CSV, false),
                        "personalize.events.retention=400 d",
                        "personalize.input.consent-default=granted");

        assertThat(TableReader.countBy(table("customer_features"), "email_consent"))
                .containsExactlyEntriesOf(Map.of("true", 4L));
        assertThat(summary.decisionReasons().values())
                .allSatisfy(
                        byReason ->
                                assertThat(byReason.keySet())
                                        .noneMatch(r -> r.startsWith("no_consent")));
        long toSend =
                summary.decisions().values().stream()
                        .mapToLong(byOutcome -> byOutcome.getOrDefault("to_send", 0L))
                        .sum();
        long delivered =
                summary.deliveries().values().stream()
                        .mapToLong(byStatus -> byStatus.getOrDefault("delivered", 0L))
                        .sum();
        assertThat(toSend).as("win-back emails to lapsed customers of the export").isPositive();
        assertThat(delivered).isEqualTo(toSend);
    }

    @Test
    void demoReadsAClickstreamExport() throws Exception {
        Path csv = tmp.resolve("2019-Oct.csv");
        Files.writeString(
                csv,
                "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\r\n"
                        + "2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde\r\n"
                        + "2019-10-01 00:00:01 UTC,cart,3900821,2053013552326770905,appliances.water_heater,aqua,33.20,554748717,9333dfbd\r\n"
                        + "2019-10-01 00:00:05 UTC,purchase,3900821,2053013552326770905,appliances.water_heater,aqua,33.20,554748717,9333dfbd\r\n"
                        + "2019-10-01 00:00:07 UTC,remove_from_cart,17300353,2053013553853497655,,creed,380.96,555447699,4fe811e9\r\n"
                        + "2019-10-01 00:00:08 UTC,view,3601530,2053013563810775923,appliances.kitchen");

        DemoSummary summary =
                runDemo(
                        new DemoRunner.Options(
                                tmp.resolve("out"), 0, 0, csv, InputFormat.CLICKSTREAM_CSV, false));

        assertThat(summary.eventsValid()).isEqualTo(4);
        assertThat(summary.deadLettersByReason())
                .containsExactlyEntriesOf(Map.of("malformed_csv", 1L));
        assertThat(TableReader.countBy(table("events"), "event_type"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "product_view",
                                1L,
                                "add_to_cart",
                                1L,
                                "order_line",
                                1L,
                                "remove_from_cart",
                                1L));
    }
}
