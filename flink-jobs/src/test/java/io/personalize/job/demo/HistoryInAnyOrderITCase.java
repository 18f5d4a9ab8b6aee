package io.personalize.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.generator.CatalogFile;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.job.bench.EventTimeOrderCost;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.testing.TableRows;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History in any order: the whole job, run on one history written sorted by event time, reversed
 * and shuffled (fixed seed), gives the same {@code customer_features} row for row and the same
 * {@code segment_changes} and {@code cart_abandonments} as sets, because bounded input is streamed
 * from a copy sorted by event time ({@code personalize.input.order: event-time}, the default). A
 * retail export in R's layout, shuffled, gives with default settings the features of its sorted
 * copy and no {@code too_old} dead letters; read as it is ({@code as-read}), the same export loses
 * rows to {@code too_old}, which is what the sort is for.
 */
class HistoryInAnyOrderITCase {
    private static final int RECORDS = 20_000;
    private static final long SEED = 7;
    private static final String SECRET = "history-in-any-order-secret-0123";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.NEVER)
    Path tmp;

    @Test
    void sortedReversedAndShuffledHistoriesGiveTheSameFeaturesSegmentsAndAbandonments()
            throws Exception {
        Path generated = tmp.resolve("generated.jsonl");
        new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(SEED))
                .writeTo(generated, RECORDS);
        List<String> sorted = byEventTime(Files.readAllLines(generated), InputFormat.ENVELOPE);
        List<String> reversed = new ArrayList<>(sorted);
        Collections.reverse(reversed);
        List<String> shuffled = new ArrayList<>(sorted);
        Collections.shuffle(shuffled, new Random(42));
        Path products = tmp.resolve("catalog.csv");
        CatalogFile.write(products);

        CatalogSettings a = run("sorted", sorted, null, InputFormat.ENVELOPE, products);
        CatalogSettings b = run("reversed", reversed, null, InputFormat.ENVELOPE, products);
        CatalogSettings c = run("shuffled", shuffled, null, InputFormat.ENVELOPE, products);

        List<String> features = rows(a, Tables.CUSTOMER_FEATURES);
        assertThat(features).hasSizeGreaterThan(100);
        for (CatalogSettings other : List.of(b, c)) {
            assertThat(TableRows.difference(features, rows(other, Tables.CUSTOMER_FEATURES)))
                    .as("customer_features, sorted vs %s", other.warehouse())
                    .isNull();
            for (TableDefinition asSet :
                    List.of(Tables.SEGMENT_CHANGES, Tables.CART_ABANDONMENTS)) {
                assertThat(new HashSet<>(rows(other, asSet)))
                        .as("%s, sorted vs %s", asSet.name(), other.warehouse())
                        .isNotEmpty()
                        .isEqualTo(new HashSet<>(rows(a, asSet)));
            }
            assertThat(reasons(other)).isEqualTo(reasons(a));
        }
    }

    @Test
    void aShuffledRetailExportGivesTheFeaturesOfItsSortedCopyWithDefaultSettings()
            throws Exception {
        List<String> rows = retailRows(new Random(3), 3_000);
        String header =
                "\uFEFF\"InvoiceNo\",\"StockCode\",\"Description\",\"Quantity\",\"InvoiceDate\","
                        + "\"UnitPrice\",\"CustomerID\",\"Country\"";
        List<String> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(9));
        List<String> sorted = byEventTime(shuffled, InputFormat.RETAIL_CSV);

        CatalogSettings fromSorted = run("retail-sorted", sorted, header, InputFormat.RETAIL_CSV);
        CatalogSettings fromShuffled =
                run("retail-shuffled", shuffled, header, InputFormat.RETAIL_CSV);

        assertThat(reasons(fromShuffled)).doesNotContainKey("too_old");
        assertThat(reasons(fromSorted)).doesNotContainKey("too_old");
        List<String> features = rows(fromSorted, Tables.CUSTOMER_FEATURES);
        assertThat(TableReader.countBy(table(fromSorted, Tables.CUSTOMER_FEATURES), "customer_key"))
                .as("every customer of the export (guest rows are skipped)")
                .hasSize(300);
        assertThat(TableRows.difference(features, rows(fromShuffled, Tables.CUSTOMER_FEATURES)))
                .as("customer_features of the shuffled export vs its sorted copy")
                .isNull();

        CatalogSettings asRead =
                run(
                        "retail-as-read",
                        shuffled,
                        header,
                        InputFormat.RETAIL_CSV,
                        null,
                        "personalize.input.order=as-read");
        assertThat(reasons(asRead).getOrDefault("too_old", 0L))
                .as("rows refused too_old when the shuffled export is streamed as it is")
                .isGreaterThan(100L);
    }

    /** Lines stably sorted by event time; lines that are not events last. */
    private static List<String> byEventTime(List<String> lines, InputFormat format) {
        Configuration conf =
                ConfigLoader.withJobDefaults(ConfigLoader.load(null, Map.of(), List.of()));
        return EventTimeOrderCost.byEventTime(lines, JobSettings.from(conf, SECRET).intake(format));
    }

    /**
     * Order lines of a year of a UCI Online Retail style export as R's write.csv leaves them: 300
     * customers and some guest rows ({@code NA}), invoices of one to four lines, cancellations.
     */
    private static List<String> retailRows(Random random, int invoices) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
        LocalDateTime start = LocalDateTime.of(2010, 12, 1, 8, 0);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < invoices; i++) {
            LocalDateTime at = start.plusMinutes(random.nextInt(365 * 24 * 60));
            boolean guest = random.nextInt(20) == 0;
            String customer = guest ? "NA" : String.valueOf(12_000 + random.nextInt(300));
            boolean cancellation = !guest && random.nextInt(15) == 0;
            String invoice = (cancellation ? "C" : "") + (536_000 + i);
            int lines = 1 + random.nextInt(4);
            for (int l = 0; l < lines; l++) {
                int quantity = (1 + random.nextInt(12)) * (cancellation ? -1 : 1);
                String price =
                        String.format(Locale.ROOT, "%.2f", 0.5 + random.nextInt(900) / 100.0);
                rows.add(
                        String.join(
                                ",",
                                "\"" + invoice + "\"",
                                "\"2" + (1000 + random.nextInt(500)) + "\"",
                                "\"ITEM, NUMBER " + l + "\"",
                                String.valueOf(quantity),
                                "\"" + at.format(format) + "\"",
                                price,
                                customer,
                                "\"United Kingdom\""));
            }
        }
        return rows;
    }

    private CatalogSettings run(String name, List<String> lines, String header, InputFormat format)
            throws Exception {
        return run(name, lines, header, format, null);
    }

    private CatalogSettings run(
            String name,
            List<String> lines,
            String header,
            InputFormat format,
            Path products,
            String... sets)
            throws Exception {
        Path folder = tmp.resolve(name);
        Path input =
                folder.resolve("input").resolve("history." + (header == null ? "jsonl" : "csv"));
        Files.createDirectories(input.getParent());
        Files.write(
                input,
                (header == null
                        ? lines
                        : Stream.concat(Stream.of(header), lines.stream()).toList()),
                StandardCharsets.UTF_8);
        Path output = folder.resolve("out");
        List<String> conf = new ArrayList<>(List.of("personalize.restart.attempts=0"));
        if (products != null) {
            conf.add("personalize.catalog.path=" + products);
        }
        conf.addAll(List.of(sets));
        new DemoRunner(
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        SECRET)
                .run(
                        new DemoRunner.Options(output, 0, SEED, input, format, false, true),
                        ConfigLoader.load(null, Map.of(), conf));
        return CatalogSettings.localSqlite(output.resolve("warehouse"), "personalize");
    }

    private static List<String> rows(CatalogSettings catalog, TableDefinition table) {
        return TableRows.rows(catalog, table, EveryTableSameInEveryRunITCase.PROCESSING_TIME);
    }

    private static Map<String, Long> reasons(CatalogSettings catalog) {
        return TableReader.countBy(table(catalog, Tables.DEAD_LETTERS), "reason");
    }

    private static Table table(CatalogSettings catalog, TableDefinition table) {
        return catalog.catalogLoader()
                .loadCatalog()
                .loadTable(table.identifier(catalog.icebergNamespace()));
    }
}
