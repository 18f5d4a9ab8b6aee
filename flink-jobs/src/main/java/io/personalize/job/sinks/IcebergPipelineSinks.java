package io.personalize.job.sinks;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.job.Operators;
import io.personalize.job.PipelineSinks;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableManager;
import io.personalize.tables.Tables;
import io.personalize.tables.rows.DeadLetterRows;
import io.personalize.tables.rows.EventRows;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.flink.sink.IcebergSink;

/**
 * Writes the pipeline's outputs to Iceberg with Iceberg's own {@link IcebergSink}: files are
 * committed at each checkpoint, exactly once. The tables are created (or migrated) when the sinks
 * are built.
 */
public final class IcebergPipelineSinks implements PipelineSinks {
    private final CatalogSettings catalog;

    public IcebergPipelineSinks(CatalogSettings catalog) {
        this.catalog = catalog;
        ensureTables(catalog);
    }

    /** Creates the namespace and every table when missing; safe to call again. */
    public static void ensureTables(CatalogSettings catalog) {
        catalog.withCatalog(
                loaded ->
                        new TableManager(loaded, catalog.icebergNamespace()).ensure(Tables.all()));
    }

    @Override
    public void events(DataStream<Event> events) {
        DataStream<RowData> rows =
                events.map(EventRows::toRow, InternalTypeInfo.of(EventRows.ROW_TYPE))
                        .uid(Operators.EVENTS_TO_ROWS_UID)
                        .name(Operators.EVENTS_TO_ROWS_NAME);
        IcebergSink.forRowData(rows)
                .tableLoader(catalog.tableLoader(Tables.EVENTS))
                .distributionMode(DistributionMode.NONE)
                .uidSuffix(Operators.EVENTS_SINK_SUFFIX)
                .append();
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        DataStream<RowData> rows =
                deadLetters
                        .map(DeadLetterRows::toRow, InternalTypeInfo.of(DeadLetterRows.ROW_TYPE))
                        .uid(Operators.DEAD_LETTERS_TO_ROWS_UID)
                        .name(Operators.DEAD_LETTERS_TO_ROWS_NAME);
        IcebergSink.forRowData(rows)
                .tableLoader(catalog.tableLoader(Tables.DEAD_LETTERS))
                .distributionMode(DistributionMode.NONE)
                .uidSuffix(Operators.DEAD_LETTERS_SINK_SUFFIX)
                .append();
    }
}
