package io.personalize.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Reads tables back with Iceberg's own generic reader: for summaries, checks and tests. */
public final class TableReader {
    private TableReader() {}

    /**
     * Rows in the current snapshot: from its summary when the table has no delete files (no data
     * files are read), else by a scan that applies the deletes (an upserted table).
     */
    public static long rowCount(Table table) {
        table.refresh();
        Snapshot snapshot = table.currentSnapshot();
        if (snapshot == null) {
            return 0;
        }
        Map<String, String> summary = snapshot.summary();
        String total = summary.get("total-records");
        if (total == null || hasDeletes(summary)) {
            String firstColumn = table.schema().columns().get(0).name();
            return readAll(table, firstColumn).size();
        }
        return Long.parseLong(total);
    }

    private static boolean hasDeletes(Map<String, String> summary) {
        return !"0".equals(summary.getOrDefault("total-equality-deletes", "0"))
                || !"0".equals(summary.getOrDefault("total-position-deletes", "0"));
    }

    /** Every row of the current snapshot with the given columns (all when none are given). */
    public static List<Record> readAll(Table table, String... columns) {
        table.refresh();
        var builder = IcebergGenerics.read(table);
        if (columns.length > 0) {
            builder = builder.select(columns);
        }
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = builder.build()) {
            for (Record record : records) {
                rows.add(record.copy());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** Rows per distinct value of a string column, sorted by value. */
    public static Map<String, Long> countBy(Table table, String column) {
        Map<String, Long> counts = new TreeMap<>();
        for (Record row : readAll(table, column)) {
            counts.merge(String.valueOf(row.getField(column)), 1L, Long::sum);
        }
        return counts;
    }
}
