package io.personalize.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.Event;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.demo.DemoRunner;
import io.personalize.job.testing.TableFiles;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.ErasureTable;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tables erase} on a stopped warehouse the demo wrote: the customer with the most events,
 * who also browsed under an anonymous id, has rows in most tables; after the erasure the current
 * snapshot of every table has none of theirs (by customer key, customer id or linked anonymous id),
 * every other row is still there, no data file the tables still reference holds one of their rows
 * even among rows an upsert had deleted, no equality-delete file names their keys, the files that
 * held them are gone from disk, each table keeps one snapshot, and {@code erasures} has the audit
 * row under the salted hash of the key. An unknown customer is recorded too.
 */
class TablesEraseITCase {
    @TempDir Path tmp;

    @Test
    void eraseRemovesEveryRowOfTheCustomerAndTheirAnonymousIdsAndLeavesNoSnapshotWithThem()
            throws Exception {
        Path output = tmp.resolve("demo");
        new DemoRunner(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(
                        new DemoRunner.Options(
                                output, 6_000, 42, null, InputFormat.ENVELOPE, false, true),
                        // unmaintained: the erasure must reach the upserts' equality deletes
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "personalize.restart.attempts=0",
                                        "personalize.maintenance.after-run=false")));
        Path warehouse = output.resolve("warehouse");
        CatalogSettings catalog = CatalogSettings.localSqlite(warehouse, "personalize");

        String customer = customerWithMostEventsAndAnAnonymousId(catalog);
        Set<String> anonymous = anonymousIdsOf(catalog, customer);
        Predicate<Record> theirs = row -> isTheirs(row, customer, anonymous);
        Map<String, Long> before = new LinkedHashMap<>();
        Map<String, Long> theirsBefore = new LinkedHashMap<>();
        Map<String, Set<String>> filesWithThem = new HashMap<>();
        for (TableDefinition definition : Tables.all()) {
            Table table = table(catalog, definition);
            List<Record> rows = TableReader.readAll(table);
            before.put(definition.name(), (long) rows.size());
            theirsBefore.put(definition.name(), rows.stream().filter(theirs).count());
            filesWithThem.put(
                    definition.name(), TableFiles.holding(table, table.currentSnapshot(), theirs));
        }
        assertThat(anonymous).isNotEmpty();
        Table features = table(catalog, Tables.CUSTOMER_FEATURES);
        assertThat(TableFiles.equalityDeletesHolding(features, features.currentSnapshot(), theirs))
                .as("customer_features: an equality-delete file names the customer (upserts)")
                .isNotEmpty();
        assertThat(theirsBefore.values().stream().filter(n -> n > 0).count())
                .as("tables with rows of the customer: %s", theirsBefore)
                .isGreaterThanOrEqualTo(5);

        StringWriter err = new StringWriter();
        int exit =
                PersonalizeCli.execute(
                        new PrintWriter(err),
                        "tables",
                        "erase",
                        "--customer",
                        customer,
                        "--warehouse",
                        warehouse.toString());
        assertThat(exit).as("exit code; stderr: %s", err).isZero();

        for (TableDefinition definition : Tables.all()) {
            Table table = table(catalog, definition);
            List<Record> rows = TableReader.readAll(table);
            assertThat(rows).as("%s: rows of the customer", definition.name()).noneMatch(theirs);
            assertThat((long) rows.size())
                    .as("%s: every other row is still there", definition.name())
                    .isEqualTo(before.get(definition.name()) - theirsBefore.get(definition.name()));
            assertThat(TableFiles.holding(table, table.currentSnapshot(), theirs))
                    .as("%s: data files still referenced that hold their rows", definition.name())
                    .isEmpty();
            for (String file : filesWithThem.get(definition.name())) {
                assertThat(Path.of(java.net.URI.create(file)))
                        .as("%s: a file that held their rows", definition.name())
                        .doesNotExist();
            }
            if (!filesWithThem.get(definition.name()).isEmpty()) {
                assertThat(table.snapshots()).as("%s: snapshots", definition.name()).hasSize(1);
            }
        }

        Table erasures = table(catalog, ErasureTable.ERASURES);
        List<Record> audit = TableReader.readAll(erasures);
        assertThat(audit).hasSize(1);
        Record row = audit.get(0);
        assertThat(row.getField("subject"))
                .isEqualTo(
                        new PersonalDataScrubber(
                                        Files.readString(output.resolve("hash-secret")).trim())
                                .hash(Event.CUSTOMER_KEY_PREFIX + customer));
        assertThat(row.getField("known")).isEqualTo(true);
        assertThat(row.getField("linked_anonymous_ids")).isEqualTo(anonymous.size());
        assertThat(row.getField("rows_removed")).isEqualTo(theirsBefore);
        assertThat(audit.toString()).doesNotContain(customer);

        assertThat(
                        PersonalizeCli.execute(
                                new PrintWriter(err),
                                "tables",
                                "erase",
                                "--customer",
                                "nobody-like-this",
                                "--warehouse",
                                warehouse.toString()))
                .isZero();
        assertThat(TableReader.readAll(table(catalog, ErasureTable.ERASURES)))
                .hasSize(2)
                .anySatisfy(r -> assertThat(r.getField("known")).isEqualTo(false));
    }

    private static boolean isTheirs(Record row, String customer, Set<String> anonymous) {
        Object key = field(row, "customer_key");
        Object id = field(row, "customer_id");
        Object anon = field(row, "anonymous_id");
        return (Event.CUSTOMER_KEY_PREFIX + customer).equals(key)
                || customer.equals(id)
                || (anon != null && anonymous.contains(anon) && (id == null || customer.equals(id)))
                || (key instanceof String k
                        && k.startsWith(Event.ANONYMOUS_KEY_PREFIX)
                        && anonymous.contains(k.substring(Event.ANONYMOUS_KEY_PREFIX.length())));
    }

    private static Object field(Record row, String name) {
        return row.struct().field(name) == null ? null : row.getField(name);
    }

    private static String customerWithMostEventsAndAnAnonymousId(CatalogSettings catalog) {
        List<Record> events =
                TableReader.readAll(table(catalog, Tables.EVENTS), "customer_id", "anonymous_id");
        Set<String> withAnonymous =
                events.stream()
                        .filter(r -> r.getField("customer_id") != null)
                        .filter(r -> r.getField("anonymous_id") != null)
                        .map(r -> (String) r.getField("customer_id"))
                        .collect(Collectors.toSet());
        return events.stream()
                .map(r -> (String) r.getField("customer_id"))
                .filter(withAnonymous::contains)
                .collect(Collectors.groupingBy(c -> c, Collectors.counting()))
                .entrySet()
                .stream()
                .max(
                        Map.Entry.<String, Long>comparingByValue()
                                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow()
                .getKey();
    }

    private static Set<String> anonymousIdsOf(CatalogSettings catalog, String customer) {
        return TableReader.readAll(table(catalog, Tables.EVENTS), "customer_id", "anonymous_id")
                .stream()
                .filter(r -> customer.equals(r.getField("customer_id")))
                .map(r -> (String) r.getField("anonymous_id"))
                .filter(a -> a != null)
                .collect(Collectors.toSet());
    }

    private static Table table(CatalogSettings catalog, TableDefinition table) {
        return catalog.catalogLoader()
                .loadCatalog()
                .loadTable(table.identifier(catalog.icebergNamespace()));
    }
}
