package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.events.DeadLetter;
import io.personalize.tables.Tables;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps a {@link DeadLetter} to a row of {@link Tables#DEAD_LETTERS}, in column order. */
public final class DeadLetterRows {
    public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(Tables.DEAD_LETTERS.schema());

    private DeadLetterRows() {}

    public static RowData toRow(DeadLetter letter) {
        return GenericRowData.of(
                string(letter.deadLetterId),
                string(letter.stage),
                string(letter.reason),
                string(letter.message),
                string(letter.source),
                string(letter.rawPayload),
                timestamp(letter.ingestedAt),
                string(letter.eventId),
                string(letter.eventType),
                timestamp(letter.occurredAt),
                string(letter.customerId));
    }
}
