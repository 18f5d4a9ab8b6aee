package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.conversions.Conversion;
import io.personalize.tables.DeliveryTables;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps a {@link Conversion} to a row of {@link DeliveryTables#CONVERSIONS}. */
public final class ConversionRows {
    public static final RowType ROW_TYPE =
            FlinkSchemaUtil.convert(DeliveryTables.CONVERSIONS.schema());

    private ConversionRows() {}

    public static RowData toRow(Conversion c) {
        return GenericRowData.of(
                string(c.conversionId),
                string(c.decisionId),
                string(c.customerKey),
                string(c.customerId),
                string(c.flowId),
                string(c.experimentId),
                string(c.variant),
                string(c.decisionOutcome),
                string(c.kind),
                string(c.attribution),
                string(c.eventId),
                string(c.orderId),
                c.revenue,
                string(c.currency),
                timestamp(c.decidedAt),
                timestamp(c.convertedAt),
                timestamp(c.processedAt));
    }
}
