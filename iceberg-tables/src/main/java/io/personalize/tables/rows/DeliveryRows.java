package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.delivery.DeliveryResult;
import io.personalize.tables.DeliveryTables;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps a {@link DeliveryResult} to a row of {@link DeliveryTables#DELIVERIES}. */
public final class DeliveryRows {
    public static final RowType ROW_TYPE =
            FlinkSchemaUtil.convert(DeliveryTables.DELIVERIES.schema());

    private DeliveryRows() {}

    public static RowData toRow(DeliveryResult r) {
        return GenericRowData.of(
                string(r.decisionId),
                string(r.customerKey),
                string(r.customerId),
                string(r.flowId),
                string(r.experimentId),
                string(r.variant),
                string(r.templateId),
                string(r.endpointId),
                string(r.status),
                r.attempts,
                r.httpStatus,
                string(r.error),
                timestamp(r.decidedAt),
                r.firstAttemptAt == 0 ? null : timestamp(r.firstAttemptAt),
                timestamp(r.completedAt),
                r.latencyMillis());
    }
}
