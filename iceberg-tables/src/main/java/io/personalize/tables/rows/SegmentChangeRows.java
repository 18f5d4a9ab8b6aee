package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.segments.SegmentChange;
import io.personalize.tables.Tables;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps a {@link SegmentChange} to a row of {@link Tables#SEGMENT_CHANGES}, in column order. */
public final class SegmentChangeRows {
    public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(Tables.SEGMENT_CHANGES.schema());

    private SegmentChangeRows() {}

    public static RowData toRow(SegmentChange c) {
        return GenericRowData.of(
                string(c.changeId),
                string(c.customerKey),
                string(c.customerId),
                string(c.segmentId),
                string(c.change),
                string(c.membership),
                string(c.reason),
                timestamp(c.eventTime),
                timestamp(c.processedAt),
                c.ruleVersion);
    }
}
