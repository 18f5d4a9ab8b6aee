package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.events.Event;
import io.personalize.core.identity.IdentityLink;
import io.personalize.tables.Tables;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Maps an {@link IdentityLink} to a row of {@link Tables#IDENTITY_LINKS}. */
public final class IdentityLinkRows {
    public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(Tables.IDENTITY_LINKS.schema());

    private IdentityLinkRows() {}

    public static RowData toRow(IdentityLink link) {
        return GenericRowData.of(
                string(link.linkId),
                string(link.anonymousId),
                string(link.customerId),
                string(Event.CUSTOMER_KEY_PREFIX + link.customerId),
                string(link.previousCustomerId),
                timestamp(link.firstSeenAt),
                timestamp(link.linkedAt),
                string(link.sourceEventId),
                link.restatedEvents,
                timestamp(link.processedAt));
    }
}
