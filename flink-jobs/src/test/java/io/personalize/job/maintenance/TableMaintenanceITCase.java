package io.personalize.job.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.demo.DemoRunner;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.MaintenanceSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableMaintainer;
import io.personalize.tables.TableReader;
import io.personalize.tables.TableRecovery;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.maintenance.api.JdbcLockFactory;
import org.apache.iceberg.flink.maintenance.api.TriggerLockFactory;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table maintenance on the tables of a real run (a demo on a MiniCluster, committing every second
 * at parallelism 2, many small files): every table keeps exactly its rows, small files and deletes
 * are compacted to one file per partition, old snapshots and orphan files go, a locked table is
 * left alone, and while a job may still write its newest commit stays.
 */
class TableMaintenanceITCase {
    private static final MaintenanceSettings NO_RETENTION =
            new MaintenanceSettings(Duration.ZERO, 1, Duration.ofDays(3), 2, false);

    @TempDir Path tmp;

    private Catalog loaded;

    @Test
    void maintenanceKeepsEveryRowCompactsToOneFilePerPartitionAndExpiresOldSnapshots()
            throws Exception {
        CatalogSettings catalog = runDemoWithoutMaintenance();
        Map<String, List<String>> rowsBefore = rowsOfEveryTable(catalog);
        assertThat(dataFilesOfEveryTable(catalog).get("events"))
                .as("the run left more data files than partitions: something to compact")
                .isGreaterThan(partitions(catalog, "events"));

        // while a job may write: its newest commit stays, whatever the retention
        MaintenanceRun.run(catalog, NO_RETENTION, quiet());
        assertThat(rowsOfEveryTable(catalog)).isEqualTo(rowsBefore);
        for (TableDefinition definition : Tables.all()) {
            Table table = load(catalog, definition.name());
            Snapshot newestJobCommit = newestJobCommit(table);
            assertThat(newestJobCommit).as(definition.name()).isNotNull();
            assertThat(table.snapshot(newestJobCommit.snapshotId())).isNotNull();
        }

        Path eventsData = tmp.resolve("out/warehouse/personalize/events/data");
        Path oldOrphan = eventsData.resolve("left-by-a-killed-writer.parquet");
        Path youngOrphan = eventsData.resolve("being-written-now.parquet");
        Files.writeString(oldOrphan, "not parquet");
        Files.setLastModifiedTime(
                oldOrphan, FileTime.from(Instant.now().minus(Duration.ofDays(4))));
        Files.writeString(youngOrphan, "not parquet");

        int lockedSnapshots = snapshotsOfEveryTable(catalog).get("identity_links");
        try (TriggerLockFactory locks = lockOf(catalog, "identity_links")) {
            TriggerLockFactory.Lock heldElsewhere = locks.createLock();
            assertThat(heldElsewhere.tryLock()).isTrue();

            List<TableMaintainer.Report> reports =
                    MaintenanceRun.run(catalog, NO_RETENTION.withWritersStopped(), quiet());

            assertThat(reports)
                    .filteredOn(TableMaintainer.Report::locked)
                    .extracting(TableMaintainer.Report::table)
                    .containsExactly("identity_links");
            assertThat(snapshotsOfEveryTable(catalog).get("identity_links"))
                    .isEqualTo(lockedSnapshots);
            heldElsewhere.unlock();
        }
        MaintenanceRun.run(catalog, NO_RETENTION.withWritersStopped(), quiet());

        assertThat(rowsOfEveryTable(catalog)).isEqualTo(rowsBefore);
        for (TableDefinition definition : Tables.all()) {
            String name = definition.name();
            Table table = load(catalog, name);
            assertThat(liveDataFiles(table)).as(name).hasSize(partitions(catalog, name));
            assertThat(table.currentSnapshot().summary().get("total-delete-files"))
                    .as(name)
                    .isEqualTo("0");
            // retention 0, keep 1: every older snapshot is gone; the newest carries the job's
            // last committed checkpoint for a restore
            assertThat(table.snapshots()).as(name).hasSize(1);
            assertThat(table.currentSnapshot().summary()).containsKey(TableRecovery.CHECKPOINT_ID);
            // the files of the compacted-away commits are deleted, not only unreferenced
            assertThat(parquetFilesUnder(tmp.resolve("out/warehouse/personalize/" + name)))
                    .as(name)
                    .isEqualTo(liveFileNames(table, oldOrphan, youngOrphan, name));
        }
        assertThat(oldOrphan).doesNotExist();
        assertThat(youngOrphan).exists();
    }

    private CatalogSettings runDemoWithoutMaintenance() throws Exception {
        Configuration conf =
                ConfigLoader.load(
                        null,
                        Map.of(),
                        List.of(
                                "personalize.checkpoint.interval=1 s",
                                "parallelism.default=2",
                                "personalize.maintenance.after-run=false"));
        new DemoRunner(quiet())
                .run(
                        new DemoRunner.Options(
                                tmp.resolve("out"), 6_000, 11, null, InputFormat.ENVELOPE, false),
                        conf);
        return CatalogSettings.localSqlite(tmp.resolve("out/warehouse"), "personalize");
    }

    /**
     * Every row of every table, as text of the table's columns (a read with position deletes adds
     * the row position), sorted: the multiset of rows.
     */
    private Map<String, List<String>> rowsOfEveryTable(CatalogSettings catalog) {
        Map<String, List<String>> rows = new HashMap<>();
        for (TableDefinition definition : Tables.all()) {
            Table table = load(catalog, definition.name());
            String[] columns =
                    table.schema().columns().stream().map(c -> c.name()).toArray(String[]::new);
            rows.put(
                    definition.name(),
                    TableReader.readAll(table, columns).stream()
                            .map(
                                    r ->
                                            Stream.of(columns)
                                                    .map(c -> String.valueOf(r.getField(c)))
                                                    .collect(Collectors.joining("|")))
                            .sorted()
                            .toList());
        }
        return rows;
    }

    private Map<String, Integer> snapshotsOfEveryTable(CatalogSettings catalog) {
        Map<String, Integer> snapshots = new HashMap<>();
        for (TableDefinition definition : Tables.all()) {
            int n = 0;
            for (Snapshot ignored : load(catalog, definition.name()).snapshots()) {
                n++;
            }
            snapshots.put(definition.name(), n);
        }
        return snapshots;
    }

    private Map<String, Integer> dataFilesOfEveryTable(CatalogSettings catalog) {
        Map<String, Integer> files = new HashMap<>();
        for (TableDefinition definition : Tables.all()) {
            files.put(definition.name(), liveDataFiles(load(catalog, definition.name())).size());
        }
        return files;
    }

    private static Set<String> liveDataFiles(Table table) {
        Set<String> files = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> files.add(t.file().location()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return files;
    }

    /** Distinct partitions holding data, computed from the rows' files independently. */
    private int partitions(CatalogSettings catalog, String name) {
        Set<String> partitions = new HashSet<>();
        Table table = load(catalog, name);
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(t -> partitions.add(t.spec().partitionToPath(t.file().partition())));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return partitions.size();
    }

    private static Set<String> liveFileNames(
            Table table, Path oldOrphan, Path youngOrphan, String name) {
        Set<String> names =
                liveDataFiles(table).stream()
                        .map(location -> Path.of(java.net.URI.create(location)).getFileName())
                        .map(Path::toString)
                        .collect(Collectors.toCollection(HashSet::new));
        if (name.equals("events")) {
            names.add(youngOrphan.getFileName().toString());
        }
        return names;
    }

    private static Set<String> parquetFilesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".parquet"))
                    .map(p -> p.getFileName().toString())
                    .collect(Collectors.toSet());
        }
    }

    private static Snapshot newestJobCommit(Table table) {
        for (Snapshot s = table.currentSnapshot();
                s != null;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (s.summary().containsKey(TableRecovery.CHECKPOINT_ID)) {
                return s;
            }
        }
        return null;
    }

    private static TriggerLockFactory lockOf(CatalogSettings catalog, String tableName) {
        JdbcLockFactory locks =
                new JdbcLockFactory(
                        catalog.uri(),
                        TableMaintainer.lockId(catalog.icebergNamespace(), tableName),
                        Map.of(
                                "jdbc.busy_timeout",
                                "30000",
                                JdbcLockFactory.INIT_LOCK_TABLES_PROPERTY,
                                "true"));
        locks.open();
        return locks;
    }

    private Table load(CatalogSettings catalog, String name) {
        if (loaded == null) {
            loaded = catalog.catalogLoader().loadCatalog();
        }
        return loaded.loadTable(Tables.byName(name).identifier(catalog.icebergNamespace()));
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
