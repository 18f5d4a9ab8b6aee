package io.personalize.job.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.demo.DemoRunner;
import io.personalize.job.demo.DemoSummary;
import io.personalize.job.testing.LogCapture;
import io.personalize.job.testing.RecordingMetricReporter;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.shaded.org.apache.avro.file.DataFileReader;
import org.apache.iceberg.shaded.org.apache.avro.generic.GenericDatumReader;
import org.apache.iceberg.shaded.org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal data in every form a user found in clear, through the whole job (file source, intake,
 * every stage, the Iceberg tables, the demo's local HTTP endpoint): none of it appears in any file
 * under the output (table data, manifests, metadata, catalog, deliveries, summary), in any row read
 * through Iceberg, in any delivered body, in any log line or in any metric name or label.
 */
class PersonalDataITCase {
    private static final String SECRET = "personal-data-itcase-secret-0123";
    private static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");
    private static final String SHOPPER = "pii-shopper-1";
    private static final String EMAIL_AS_ID = "Cassiopeia.Wrenfield@pii-planted.example";
    private static final String PHONE_AS_ID = "+44 7700 900461";

    /** Each planted value, in the forms it could leak in. */
    private static final List<String> PLANTED =
            List.of(
                    "vexhollow", // emailAddress in camelCase
                    "quillfeather", // email given as an array
                    "marrowby", // an email inside a URL (%40)
                    "pennywhistle", // an email inside a search query
                    "wrenfield", // an email as customer_id
                    "thistlewood", // an email in a too_large record
                    "oddsworth", // an email in a record that is not JSON
                    "555-0193",
                    "4155550193", // phoneNumber
                    "7700 900461",
                    "447700900461", // a phone as anonymous_id
                    "151 90817263",
                    "4915190817263", // a phone inside a search query
                    "555-0176",
                    "4155550176", // a North American phone in free text
                    "4155550188", // a phone inside a URL (%2B)
                    "12 34 56 78",
                    "33612345678", // a phone in a too_large record
                    "zephyrine", // firstName
                    "quobbleworth", // lastName
                    "ottoline", // profile.name
                    "marisol",
                    "dunkerfeld", // shipping.recipient
                    "wobblestone",
                    "gribbleton", // address lines
                    "hyacinthe"); // firstName of a too_large record

    @TempDir Path tmp;

    private String at(int minutes) {
        return T0.plusSeconds(60L * minutes).toString();
    }

    private String head(String id, String type, int minutes) {
        return "{\"event_id\":\""
                + id
                + "\",\"event_type\":\""
                + type
                + "\",\"occurred_at\":\""
                + at(minutes)
                + "\",";
    }

    /** A customer who gets an abandoned-cart email, with personal data in every form. */
    private List<String> shopperWithPersonalData(String customerId) {
        String customer = "\"customer_id\":\"" + customerId + "\"";
        return List.of(
                head(customerId + "-consent", "consent_changed", 0)
                        + customer
                        + ",\"consent\":{\"channel\":\"email\",\"granted\":true}}",
                head(customerId + "-profile", "profile_updated", 1)
                        + customer
                        + ",\"profile\":{\"emailAddress\":\"Ariadne.Vexhollow@pii-planted.example\","
                        + "\"firstName\":\"Zephyrine\",\"lastName\":\"Quobbleworth\","
                        + "\"phoneNumber\":\"+1 (415) 555-0193\",\"name\":\"Ottoline Grebe\","
                        + "\"country\":\"DE\"}}",
                head(customerId + "-page", "page_view", 2)
                        + customer
                        + ",\"email\":[\"bartholomew.quillfeather@pii-planted.example\"],"
                        + "\"page\":{\"url\":\"https://shop.example/checkout?contact="
                        + "celestine.marrowby%40pii-planted.example&ref=%2B14155550188\"},"
                        + "\"shipping\":{\"recipient\":\"Marisol Dunkerfeld\","
                        + "\"address_line1\":\"17 Wobblestone Lane\","
                        + "\"addressLine2\":\"Gribbleton Flat 3\"}}",
                head(customerId + "-search", "search", 3)
                        + customer
                        + ",\"query\":\"dorothea.pennywhistle@pii-planted.example call"
                        + " +49 151 90817263 or 415-555-0176\"}",
                head(customerId + "-cart", "add_to_cart", 5)
                        + customer
                        + ",\"product\":{\"product_id\":\"p-1\",\"name\":\"Trail shoe\","
                        + "\"price\":50.0,\"quantity\":1}}");
    }

    /** A later event of someone else: event time moves past the abandonment delay. */
    private String later() {
        return head("filler", "page_view", 240) + "\"customer_id\":\"pii-filler\"}";
    }

    /** Records refused for a reason of their own, with personal data in them. */
    private List<String> refusedWithPersonalData() {
        return List.of(
                head("tl", "page_view", 6)
                        + "\"customer_id\":\""
                        + SHOPPER
                        + "\",\"firstName\":\"Hyacinthe\",\"phone\":\"+33 6 12 34 56 78\","
                        + "\"email\":\"evander.thistlewood@pii-planted.example\",\"pad\":\""
                        + "x".repeat(70_000)
                        + "\"}",
                "{\"event_id\":\"bad\",\"first_name\":\"Zephyrine\","
                        + "\"email\":\"fenwick.oddsworth@pii-planted.example\", oops",
                "{\"event_id\":\"bt\",\"event_type\":\"page_view\",\"occurred_at\":\"yesterday\","
                        + "\"customer_id\":\""
                        + SHOPPER
                        + "\",\"lastName\":\"Quobbleworth\",\"phone\":\"+1 (415) 555-0193\"}");
    }

    private record Run(Path output, DemoSummary summary, String printed, String logs) {}

    private Run run(String name, List<String> lines, String... settings) throws Exception {
        Path input = tmp.resolve(name + ".jsonl");
        Files.write(input, lines);
        Path output = tmp.resolve(name);
        List<String> set =
                new ArrayList<>(
                        List.of(
                                "personalize.checkpoint.interval=1 s",
                                "parallelism.default=2",
                                "personalize.restart.attempts=0",
                                "personalize.decisions.quiet-hours=none",
                                "metrics.reporter.recording.factory.class="
                                        + RecordingMetricReporter.Factory.class.getName()));
        set.addAll(List.of(settings));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RecordingMetricReporter.clear();
        try (LogCapture logs = LogCapture.start()) {
            DemoSummary summary =
                    new DemoRunner(new PrintStream(printed, true, StandardCharsets.UTF_8), SECRET)
                            .run(
                                    new DemoRunner.Options(
                                            output, 0, 1, input, InputFormat.ENVELOPE, false),
                                    ConfigLoader.load(null, Map.of(), set));
            return new Run(output, summary, printed.toString(StandardCharsets.UTF_8), logs.text());
        }
    }

    @Test
    void personalDataInEveryFormAppearsInNoTableFileRowLogLineMetricOrDeliveredBody()
            throws Exception {
        List<String> lines = new ArrayList<>(shopperWithPersonalData(SHOPPER));
        lines.add(head("eid", "page_view", 7) + "\"customer_id\":\"" + EMAIL_AS_ID + "\"}");
        lines.add(head("pid", "page_view", 8) + "\"anonymous_id\":\"" + PHONE_AS_ID + "\"}");
        lines.addAll(refusedWithPersonalData());
        lines.add(later());

        Run run = run("refuse", lines);

        assertThat(run.summary().deadLettersByReason())
                .containsEntry(DeadLetterReason.PERSONAL_IDENTIFIER.code(), 2L)
                .containsEntry("too_large", 1L)
                .containsEntry("malformed_json", 1L)
                .containsEntry("bad_timestamp", 1L);
        List<JsonNode> bodies = deliveredBodies(run.output());
        assertThat(bodies)
                .as("the shopper's abandoned cart was delivered: the bodies are checked")
                .anySatisfy(b -> assertThat(b.at("/data/customer_id").asText()).isEqualTo(SHOPPER));
        assertNothingPlantedAnywhere(run);
    }

    @Test
    void anEmailUsedAsCustomerIdIsHashedIntoTheIdWhenConfiguredAndAppearsNowhere()
            throws Exception {
        List<String> lines = new ArrayList<>(shopperWithPersonalData(EMAIL_AS_ID));
        lines.add(later());

        Run run = run("hash", lines, "personalize.privacy.personal-ids=hash");

        String hashedId =
                new PersonalDataScrubber(SECRET).hash(EMAIL_AS_ID.toLowerCase(Locale.ROOT));
        assertThat(run.summary().deadLettersByReason())
                .doesNotContainKey(DeadLetterReason.PERSONAL_IDENTIFIER.code());
        assertThat(deliveredBodies(run.output()))
                .anySatisfy(
                        b -> assertThat(b.at("/data/customer_id").asText()).isEqualTo(hashedId));
        assertNothingPlantedAnywhere(run);
    }

    private static List<JsonNode> deliveredBodies(Path output) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> bodies = new ArrayList<>();
        for (String line : Files.readAllLines(output.resolve("deliveries.jsonl"))) {
            bodies.add(json.readTree(line).get("trigger"));
        }
        return bodies;
    }

    private void assertNothingPlantedAnywhere(Run run) throws Exception {
        List<String> where = new ArrayList<>();
        try (Stream<Path> files = Files.walk(run.output())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                where.add(
                        file
                                + ": "
                                + new String(
                                        Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                if (file.toString().endsWith(".avro")) {
                    where.add(file + " (decoded): " + avroText(file));
                }
            }
        }
        CatalogSettings settings =
                CatalogSettings.localSqlite(run.output().resolve("warehouse"), "personalize");
        Catalog catalog = settings.catalogLoader().loadCatalog();
        long rows = 0;
        for (TableDefinition table : Tables.all()) {
            for (Record row :
                    TableReader.readAll(
                            catalog.loadTable(table.identifier(settings.icebergNamespace())))) {
                where.add(table.name() + " row: " + row);
                rows++;
            }
        }
        where.add("printed: " + run.printed());
        where.add("logs: " + run.logs());
        where.add("metrics: " + String.join("\n", RecordingMetricReporter.registered()));

        assertThat(rows).as("rows read through Iceberg").isGreaterThan(10);
        assertThat(run.logs()).as("log lines captured").contains("INFO");
        assertThat(RecordingMetricReporter.registered())
                .as("metrics recorded")
                .anySatisfy(m -> assertThat(m).contains("dead_letters"));
        for (String text : where) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String planted : PLANTED) {
                assertThat(lower.contains(planted))
                        .as("'%s' in %s", planted, text.substring(0, Math.min(200, text.length())))
                        .isFalse();
            }
        }
    }

    /** Manifests and manifest lists decoded: their column bounds are compressed in the file. */
    private static String avroText(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        try (DataFileReader<GenericRecord> reader =
                new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            for (GenericRecord record : reader) {
                text.append(record).append('\n');
            }
        }
        return text.toString();
    }
}
