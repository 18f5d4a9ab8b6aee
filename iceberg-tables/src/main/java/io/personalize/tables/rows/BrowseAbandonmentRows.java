package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.recommendations;
import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.tables.Tables;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps a {@link BrowseAbandonment} to a row of {@link Tables#BROWSE_ABANDONMENTS}. */
public final class BrowseAbandonmentRows {
    public static final RowType ROW_TYPE =
            FlinkSchemaUtil.convert(Tables.BROWSE_ABANDONMENTS.schema());

    private BrowseAbandonmentRows() {}

    public static RowData toRow(BrowseAbandonment a) {
        return GenericRowData.of(
                string(a.customerKey),
                string(a.customerId),
                string(a.productId),
                string(a.category),
                a.views,
                timestamp(a.firstViewAt),
                timestamp(a.lastViewAt),
                timestamp(a.at),
                timestamp(a.processedAt),
                recommendations(a.recommendations));
    }
}
