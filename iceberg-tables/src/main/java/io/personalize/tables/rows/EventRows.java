package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.events.Event;
import io.personalize.tables.Tables;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps an {@link Event} to a row of {@link Tables#EVENTS}, in the schema's column order. */
public final class EventRows {
    /** The Flink row type of the table, for {@code InternalTypeInfo.of(...)}. */
    public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(Tables.EVENTS.schema());

    private EventRows() {}

    /** The row type of a read of the {@code payload} column only. */
    public static RowType payloadRowType() {
        return FlinkSchemaUtil.convert(Tables.EVENTS.schema().select("payload"));
    }

    public static RowData toRow(Event event) {
        Double amount = event.amount();
        return GenericRowData.of(
                string(event.eventId),
                string(event.eventType.wireName()),
                timestamp(event.occurredAt),
                timestamp(event.ingestedAt),
                string(event.customerId),
                string(event.anonymousId),
                string(event.sessionId),
                string(event.source),
                string(event.firstProductId()),
                string(event.orderId),
                amount,
                string(event.currency),
                string(event.payload));
    }
}
