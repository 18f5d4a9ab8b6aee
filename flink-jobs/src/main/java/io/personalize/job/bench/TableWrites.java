package io.personalize.job.bench;

import io.personalize.tables.CatalogSettings;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What a run wrote, read back from the tables' snapshot summaries: rows and data files added, and
 * the commits (one per table per checkpoint that had rows for it).
 */
record TableWrites(long rows, long dataFiles, long commits, long maxFilesPerCommit) {

    static TableWrites read(CatalogSettings settings) {
        return settings.withCatalog(catalog -> read(catalog, settings));
    }

    private static TableWrites read(Catalog catalog, CatalogSettings settings) {
        long rows = 0;
        long files = 0;
        long commits = 0;
        long maxFiles = 0;
        for (TableIdentifier id : catalog.listTables(settings.icebergNamespace())) {
            Table table = catalog.loadTable(id);
            for (Snapshot snapshot : table.snapshots()) {
                Map<String, String> summary = snapshot.summary();
                long added = number(summary, SnapshotSummary.ADDED_FILES_PROP);
                rows += number(summary, SnapshotSummary.ADDED_RECORDS_PROP);
                files += added;
                commits++;
                maxFiles = Math.max(maxFiles, added);
            }
        }
        return new TableWrites(rows, files, commits, maxFiles);
    }

    private static long number(Map<String, String> summary, String key) {
        String value = summary.get(key);
        return value == null ? 0 : Long.parseLong(value);
    }

    String line(long events) {
        return String.format(
                Locale.ROOT,
                "rows_per_event=%.2f data_files=%d commits=%d data_files_per_commit_mean=%.1f"
                        + " data_files_per_commit_max=%d",
                (double) rows / events,
                dataFiles,
                commits,
                commits == 0 ? 0.0 : (double) dataFiles / commits,
                maxFilesPerCommit);
    }
}
