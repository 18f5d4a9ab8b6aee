package io.personalize.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling tables back to a checkpoint, against a real SQLite JDBC catalog. Commits are made as
 * Iceberg's Flink committer makes them: each with its checkpoint id in the snapshot summary.
 */
class TableRecoveryTest {
    @TempDir Path tmp;

    @Test
    void commitsOfLaterCheckpointsAreRolledBackAndEarlierOnesKept() {
        CatalogSettings settings = CatalogSettings.localSqlite(tmp, "personalize");
        settings.withCatalog(
                catalog -> {
                    Table events = events(catalog, settings);
                    for (long checkpoint = 1; checkpoint <= 5; checkpoint++) {
                        commit(events, checkpoint, 10);
                    }
                    TableRecovery recovery =
                            new TableRecovery(catalog, settings.icebergNamespace());

                    List<TableRecovery.Rollback> rolledBack =
                            recovery.rollBackAfter(3, List.of(Tables.EVENTS));

                    assertThat(rolledBack)
                            .containsExactly(new TableRecovery.Rollback("events", 5, 3, 2, false));
                    events.refresh();
                    assertThat(events.currentSnapshot().summary())
                            .containsEntry(TableRecovery.CHECKPOINT_ID, "3")
                            .containsEntry("total-records", "30");
                    assertThat(recovery.rollBackAfter(3, List.of(Tables.EVENTS))).isEmpty();
                    return null;
                });
    }

    @Test
    void aTableWithOnlyLaterCommitsIsEmptiedAndRowsHeldSaysWhatIsLeft() {
        CatalogSettings settings = CatalogSettings.localSqlite(tmp, "personalize");
        settings.withCatalog(
                catalog -> {
                    Table events = events(catalog, settings);
                    commit(events, 4, 7);
                    TableRecovery recovery =
                            new TableRecovery(catalog, settings.icebergNamespace());
                    assertThat(recovery.rowsHeld(Tables.all())).containsOnlyKeys("events");

                    assertThat(recovery.rollBackAfter(2, List.of(Tables.EVENTS)))
                            .containsExactly(new TableRecovery.Rollback("events", 4, -1, 1, true));

                    assertThat(recovery.rowsHeld(Tables.all())).isEmpty();
                    assertThat(recovery.dropAll(Tables.all())).contains("events");
                    assertThat(
                                    catalog.tableExists(
                                            Tables.EVENTS.identifier(settings.icebergNamespace())))
                            .isFalse();
                    return null;
                });
    }

    private static Table events(Catalog catalog, CatalogSettings settings) {
        return new TableManager(catalog, settings.icebergNamespace())
                .ensure(List.of(Tables.EVENTS))
                .get("events");
    }

    /** A metadata-only append (no Parquet needed to test snapshots) as checkpoint {@code id}. */
    private static void commit(Table table, long id, long rows) {
        DataFile file =
                DataFiles.builder(table.spec())
                        .withPath(table.location() + "/data/ck-" + id + ".parquet")
                        .withFormat(FileFormat.PARQUET)
                        .withFileSizeInBytes(100)
                        .withRecordCount(rows)
                        .withPartitionPath(partitionPath(table))
                        .build();
        table.newAppend()
                .appendFile(file)
                .set(TableRecovery.CHECKPOINT_ID, String.valueOf(id))
                .commit();
    }

    private static String partitionPath(Table table) {
        // months since 1970-01: 2026-12
        return table.spec().fields().get(0).name() + "=683";
    }
}
