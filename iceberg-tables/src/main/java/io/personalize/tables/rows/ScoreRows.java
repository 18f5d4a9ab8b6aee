package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.strings;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.scoring.CustomerScore;
import io.personalize.tables.Tables;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps a {@link CustomerScore} to a row of {@link Tables#SCORES}. */
public final class ScoreRows {
    public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(Tables.SCORES.schema());

    private ScoreRows() {}

    public static RowData toRow(CustomerScore s) {
        return GenericRowData.of(
                string(s.customerKey),
                string(s.customerId),
                string(s.model),
                string(s.version),
                string(s.role),
                s.score,
                string(s.label),
                strings(s.imputed),
                s.fallback,
                string(s.fallbackReason),
                timestamp(s.asOf),
                timestamp(s.scoredAt),
                probabilities(s.probabilities));
    }

    private static GenericMapData probabilities(Map<String, Double> probabilities) {
        if (probabilities == null) {
            return null;
        }
        Map<StringData, Double> out = new LinkedHashMap<>(probabilities.size() * 2);
        probabilities.forEach((label, p) -> out.put(StringData.fromString(label), p));
        return new GenericMapData(out);
    }
}
