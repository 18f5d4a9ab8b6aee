package io.personalize.job.testing;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.TypeUtil;

/**
 * The files of a table's snapshot that physically hold matching rows, whatever the deletes say:
 * what time travel could still read.
 */
public final class TableFiles {
    private TableFiles() {}

    /**
     * Data files holding a matching row (deleted or not) and equality-delete files naming one
     * (their rows carry only the equality columns); none for a null snapshot.
     */
    public static Set<String> holding(Table table, Snapshot snapshot, Predicate<Record> rows)
            throws IOException {
        Set<String> files = new HashSet<>();
        if (snapshot == null) {
            return files;
        }
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                if (holds(table, task.file().location(), table.schema(), rows)) {
                    files.add(task.file().location());
                }
            }
        }
        files.addAll(equalityDeletesHolding(table, snapshot, rows));
        return files;
    }

    /** The equality-delete files of the snapshot that name a matching row. */
    public static Set<String> equalityDeletesHolding(
            Table table, Snapshot snapshot, Predicate<Record> rows) throws IOException {
        Set<String> files = new HashSet<>();
        if (snapshot == null) {
            return files;
        }
        for (ManifestFile manifest : snapshot.deleteManifests(table.io())) {
            try (ManifestReader<DeleteFile> reader =
                    ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                for (DeleteFile delete : reader) {
                    if (delete.content() != FileContent.EQUALITY_DELETES) {
                        continue;
                    }
                    Schema keys =
                            TypeUtil.select(
                                    table.schema(), new HashSet<>(delete.equalityFieldIds()));
                    if (holds(table, delete.location(), keys, rows)) {
                        files.add(delete.location());
                    }
                }
            }
        }
        return files;
    }

    private static boolean holds(
            Table table, String location, Schema schema, Predicate<Record> rows)
            throws IOException {
        try (CloseableIterable<Record> read =
                Parquet.read(table.io().newInputFile(location))
                        .project(schema)
                        .createReaderFunc(s -> GenericParquetReaders.buildReader(schema, s))
                        .build()) {
            for (Record row : read) {
                if (rows.test(row)) {
                    return true;
                }
            }
        }
        return false;
    }
}
