package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.recommendations;
import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.features.CartLine;
import io.personalize.tables.Tables;
import java.util.List;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps a {@link CartAbandonment} to a row of {@link Tables#CART_ABANDONMENTS}, in column order. */
public final class CartAbandonmentRows {
    public static final RowType ROW_TYPE =
            FlinkSchemaUtil.convert(Tables.CART_ABANDONMENTS.schema());

    private CartAbandonmentRows() {}

    public static RowData toRow(CartAbandonment a) {
        return GenericRowData.of(
                string(a.abandonmentId),
                string(a.customerKey),
                string(a.customerId),
                string(a.status.wireName()),
                a.repeat,
                timestamp(a.episodeStartedAt),
                timestamp(a.lastChangeAt),
                timestamp(a.abandonedAt),
                timestamp(a.at),
                string(a.closingEventId),
                a.itemCount(),
                a.value,
                items(a.items),
                recommendations(a.recommendations),
                timestamp(a.processedAt));
    }

    private static GenericArrayData items(List<CartLine> items) {
        Object[] rows = new Object[items.size()];
        for (int i = 0; i < rows.length; i++) {
            CartLine line = items.get(i);
            rows[i] =
                    GenericRowData.of(
                            string(line.productId),
                            string(line.category),
                            line.quantity,
                            line.price);
        }
        return new GenericArrayData(rows);
    }
}
