package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.recommendations;
import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.strings;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.decisions.Decision;
import io.personalize.tables.Tables;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps a {@link Decision} to a row of {@link Tables#DECISIONS}. */
public final class DecisionRows {
    public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(Tables.DECISIONS.schema());

    private DecisionRows() {}

    public static RowData toRow(Decision d) {
        return GenericRowData.of(
                string(d.decisionId),
                string(d.customerKey),
                string(d.customerId),
                string(d.flowId),
                d.flowsVersion,
                string(d.experimentId),
                string(d.variant),
                string(d.outcome),
                strings(d.reasons),
                string(d.triggerKind),
                string(d.triggerName),
                string(d.triggeringId),
                map(d.modelVersions),
                map(d.scores),
                map(d.features),
                string(d.endpointId),
                string(d.templateId),
                strings(d.contentBlocks),
                recommendations(d.recommendations),
                map(d.variables),
                timestamp(d.triggeredAt),
                timestamp(d.decidedAt),
                timestamp(d.deferredUntil),
                timestamp(d.processedAt),
                timestamp(d.featuresAsOf));
    }

    private static GenericMapData map(Map<String, ?> values) {
        Map<Object, Object> out = new LinkedHashMap<>();
        if (values != null) {
            values.forEach(
                    (k, v) ->
                            out.put(
                                    StringData.fromString(k),
                                    v instanceof String s ? StringData.fromString(s) : v));
        }
        return new GenericMapData(out);
    }
}
