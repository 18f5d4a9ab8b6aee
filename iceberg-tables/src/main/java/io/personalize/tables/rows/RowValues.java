package io.personalize.tables.rows;

import io.personalize.core.recommend.Recommendation;
import java.util.List;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/** Null-safe conversions to Flink's internal row values. */
final class RowValues {
    private RowValues() {}

    static StringData string(String value) {
        return value == null ? null : StringData.fromString(value);
    }

    static TimestampData timestamp(Long epochMillis) {
        return epochMillis == null ? null : TimestampData.fromEpochMillis(epochMillis);
    }

    /** A list of strings; null counts as empty. */
    static GenericArrayData strings(List<String> values) {
        List<String> list = values == null ? List.of() : values;
        Object[] out = new Object[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = StringData.fromString(list.get(i));
        }
        return new GenericArrayData(out);
    }

    /** Recommendations as the tables' struct list; null counts as empty. */
    static GenericArrayData recommendations(List<Recommendation> recommendations) {
        List<Recommendation> list = recommendations == null ? List.of() : recommendations;
        Object[] rows = new Object[list.size()];
        for (int i = 0; i < rows.length; i++) {
            Recommendation r = list.get(i);
            rows[i] =
                    GenericRowData.of(
                            string(r.productId),
                            string(r.name),
                            string(r.category),
                            r.price,
                            string(r.imageUrl),
                            string(r.source),
                            r.score);
        }
        return new GenericArrayData(rows);
    }
}
