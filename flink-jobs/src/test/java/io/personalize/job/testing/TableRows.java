package io.personalize.job.testing;

import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/** The rows of a table written out canonically, to compare the tables of two runs. */
public final class TableRows {
    private TableRows() {}

    /**
     * Every row of the table's current snapshot, written out without the {@code leftOut} columns.
     */
    public static List<String> rows(
            CatalogSettings catalog, TableDefinition definition, Set<String> leftOut) {
        Table table =
                catalog.catalogLoader()
                        .loadCatalog()
                        .loadTable(definition.identifier(catalog.icebergNamespace()));
        List<String> rows = new ArrayList<>();
        for (Record record : TableReader.readAll(table)) {
            StringJoiner row = new StringJoiner(", ", "{", "}");
            for (Types.NestedField column : table.schema().columns()) {
                if (!leftOut.contains(column.name())) {
                    row.add(column.name() + "=" + canonical(record.getField(column.name())));
                }
            }
            rows.add(row.toString());
        }
        return rows;
    }

    /** A value written out the same way whatever order a map was filled in. */
    private static String canonical(Object value) {
        if (value instanceof Record struct) {
            StringJoiner fields = new StringJoiner(", ", "{", "}");
            for (Types.NestedField field : struct.struct().fields()) {
                fields.add(field.name() + "=" + canonical(struct.getField(field.name())));
            }
            return fields.toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, String> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(canonical(k), canonical(v)));
            return sorted.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TableRows::canonical).toList().toString();
        }
        return String.valueOf(value);
    }

    /** Null when equal as multisets; else how many rows each side alone has, with examples. */
    public static String difference(List<String> a, List<String> b) {
        List<String> onlyA = minus(a, b);
        List<String> onlyB = minus(b, a);
        if (onlyA.isEmpty() && onlyB.isEmpty()) {
            return null;
        }
        return String.format(
                "%d rows in A, %d in B; %d only in A, %d only in B;%n  only in A, e.g. %s%n"
                        + "  only in B, e.g. %s",
                a.size(),
                b.size(),
                onlyA.size(),
                onlyB.size(),
                onlyA.stream().sorted().limit(2).toList(),
                onlyB.stream().sorted().limit(2).toList());
    }

    /** The rows of {@code a} left after taking away one of each row of {@code b}. */
    public static List<String> minus(List<String> a, List<String> b) {
        Map<String, Integer> left = new HashMap<>();
        b.forEach(row -> left.merge(row, 1, Integer::sum));
        List<String> rest = new ArrayList<>();
        for (String row : a) {
            Integer n = left.get(row);
            if (n == null || n == 0) {
                rest.add(row);
            } else {
                left.put(row, n - 1);
            }
        }
        return rest;
    }
}
