package io.personalize.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.generator.CatalogFile;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.testing.TableRows;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every table the same in every run: the whole job, run twice on one generated history with the
 * same hashing secret, once at parallelism 1 with a checkpoint (and so a table commit) every
 * second, once at parallelism 2 with one every 10 s, writes the same rows to every table, as
 * multisets, apart from the columns that record processing time ({@link #PROCESSING_TIME}). With
 * identity stitching on, so that merging visitors into customers is held to the same standard.
 */
class EveryTableSameInEveryRunITCase {
    private static final int RECORDS = 20_000;
    private static final long SEED = 7;
    private static final String SECRET = "every-table-same-in-every-run-secret";

    /**
     * The columns that record when something happened in processing time, left out of every table
     * (the README's Tables section names the same list): when a record was read ({@code
     * ingested_at}), a row computed or scored ({@code computed_at}, {@code scored_at}), an outcome
     * processed ({@code processed_at}), and when the trigger endpoint was called and answered
     * ({@code first_attempt_at}, {@code completed_at}, {@code latency_ms}: from the decision to the
     * last response, wall-clock time).
     */
    static final Set<String> PROCESSING_TIME =
            Set.of(
                    "ingested_at",
                    "computed_at",
                    "scored_at",
                    "processed_at",
                    "first_attempt_at",
                    "completed_at",
                    "latency_ms");

    @TempDir Path tmp;

    @Test
    void twoRunsThatDifferOnlyInParallelismAndCheckpointTimingWriteTheSameRowsToEveryTable()
            throws Exception {
        Path input = tmp.resolve("events.jsonl");
        new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(SEED)).writeTo(input, RECORDS);
        Path products = tmp.resolve("catalog.csv");
        CatalogFile.write(products);

        CatalogSettings a = run("a", input, products, 1, "1 s");
        CatalogSettings b = run("b", input, products, 2, "10 s");

        assertThat(commits(a, Tables.EVENTS))
                .as("the runs commit at different moments: more often in run A")
                .isGreaterThan(commits(b, Tables.EVENTS));
        Map<String, String> differences = new LinkedHashMap<>();
        for (TableDefinition table : Tables.all()) {
            List<String> rowsA = TableRows.rows(a, table, PROCESSING_TIME);
            List<String> rowsB = TableRows.rows(b, table, PROCESSING_TIME);
            assertThat(rowsA).as("%s has rows to compare", table.name()).isNotEmpty();
            String difference = TableRows.difference(rowsA, rowsB);
            if (difference != null) {
                differences.put(table.name(), difference);
            }
        }
        assertThat(differences)
                .as(
                        "tables whose rows differ between the runs (left out: %s)",
                        new TreeSet<>(PROCESSING_TIME))
                .isEmpty();
    }

    /** Runs the demo on {@code input}; returns the catalog of its tables. */
    private CatalogSettings run(
            String name, Path input, Path products, int parallelism, String checkpointInterval)
            throws Exception {
        Path output = tmp.resolve(name);
        new DemoRunner(
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        SECRET)
                .run(
                        new DemoRunner.Options(
                                output, RECORDS, SEED, input, InputFormat.ENVELOPE, false, true),
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "parallelism.default=" + parallelism,
                                        "personalize.checkpoint.interval=" + checkpointInterval,
                                        "personalize.restart.attempts=0",
                                        // the runs' own commits are compared (their timing
                                        // differs); maintenance would fold them into one
                                        "personalize.maintenance.after-run=false",
                                        "personalize.identity.stitching=true",
                                        "personalize.catalog.path=" + products)));
        return CatalogSettings.localSqlite(output.resolve("warehouse"), "personalize");
    }

    private static Table table(CatalogSettings catalog, TableDefinition table) {
        return catalog.catalogLoader()
                .loadCatalog()
                .loadTable(table.identifier(catalog.icebergNamespace()));
    }

    private static int commits(CatalogSettings catalog, TableDefinition table) {
        List<Object> snapshots = new ArrayList<>();
        table(catalog, table).snapshots().forEach(snapshots::add);
        return snapshots.size();
    }
}
