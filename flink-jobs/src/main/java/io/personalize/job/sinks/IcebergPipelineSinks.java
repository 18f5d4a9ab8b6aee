package io.personalize.job.sinks;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.conversions.Conversion;
import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.identity.IdentityLink;
import io.personalize.core.privacy.ErasureRequest;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentChange;
import io.personalize.job.Operators;
import io.personalize.job.PipelineSinks;
import io.personalize.job.config.JobSettings;
import io.personalize.job.erasure.ErasureExecutor;
import io.personalize.job.erasure.Erasures;
import io.personalize.job.features.FeaturesKeySelector;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.DeliveryTables;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableManager;
import io.personalize.tables.Tables;
import io.personalize.tables.rows.BrowseAbandonmentRows;
import io.personalize.tables.rows.CartAbandonmentRows;
import io.personalize.tables.rows.ConversionRows;
import io.personalize.tables.rows.DeadLetterRows;
import io.personalize.tables.rows.DecisionRows;
import io.personalize.tables.rows.DeliveryRows;
import io.personalize.tables.rows.EventRows;
import io.personalize.tables.rows.FeatureRows;
import io.personalize.tables.rows.IdentityLinkRows;
import io.personalize.tables.rows.ScoreRows;
import io.personalize.tables.rows.SegmentChangeRows;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.sink.IcebergSink;

/**
 * Writes the pipeline's outputs to Iceberg with Iceberg's own {@link IcebergSink}: files are
 * committed at each checkpoint, exactly once. The tables are created (or migrated) when the sinks
 * are built.
 */
public final class IcebergPipelineSinks implements PipelineSinks {
    private final CatalogSettings catalog;
    private final JobSettings settings;

    public IcebergPipelineSinks(CatalogSettings catalog, JobSettings settings) {
        this.catalog = catalog;
        this.settings = settings;
        ensureTables(catalog);
    }

    /** Creates the namespace and every table when missing; safe to call again. */
    public static void ensureTables(CatalogSettings catalog) {
        catalog.withCatalog(
                loaded ->
                        new TableManager(loaded, catalog.icebergNamespace()).ensure(Tables.all()));
    }

    @Override
    public java.util.Set<String> erasedSubjects() {
        return catalog.withCatalog(loaded -> Erasures.subjects(loaded, catalog.icebergNamespace()));
    }

    /**
     * Each key the stream forgot: its rows go from every table once committed ({@link
     * ErasureExecutor}, one subtask of its own).
     */
    @Override
    public void erasures(DataStream<ErasureRequest> requests) {
        requests.transform(
                        Operators.ERASURES_NAME,
                        Types.VOID,
                        new ErasureExecutor(catalog, settings.hashSecret()))
                .uid(Operators.ERASURES_UID)
                .setParallelism(1)
                .setMaxParallelism(1)
                .disableChaining()
                .sinkTo(new DiscardingSink<>())
                .name("Erasures done");
    }

    @Override
    public void events(DataStream<Event> events) {
        appendAsRows(
                events.filter(e -> !e.isErasure())
                        .uid(Operators.EVENTS_TO_ROWS_UID + "-without-erasures")
                        .name("Events without erasure requests"),
                EventRows::toRow,
                EventRows.ROW_TYPE,
                Operators.EVENTS_TO_ROWS_UID,
                Operators.EVENTS_TO_ROWS_NAME,
                Tables.EVENTS,
                Operators.EVENTS_SINK_SUFFIX);
    }

    /**
     * {@code customer_features}: the latest row per customer, coalesced to one per table write
     * interval and upserted on {@code customer_key}. {@code customer_features_history}: per
     * customer the last snapshot of each event-time bucket ({@code
     * personalize.features.history-bucket}; 1 ms with {@code every-change}), written when the
     * bucket closes, so the rows depend only on the input; upserted on ({@code customer_key,
     * as_of}) so that a restore never leaves two rows for one instant.
     */
    @Override
    public void customerFeatures(DataStream<CustomerFeatures> changes) {
        DataStream<CustomerFeatures> latest =
                changes.transform(
                                Operators.FEATURES_COALESCE_NAME,
                                changes.getType(),
                                new CoalesceLatest<>(
                                                new FeaturesKeySelector(),
                                                features -> features.asOf,
                                                changes.getType(),
                                                settings.featureWriteInterval().toMillis())
                                        .erasedWhen(features -> features.erased))
                        .uid(Operators.FEATURES_COALESCE_UID);
        IcebergSink.forRowData(toRows(latest, Operators.FEATURES_TO_ROWS_UID))
                .tableLoader(catalog.tableLoader(Tables.CUSTOMER_FEATURES))
                .upsert(true)
                .equalityFieldColumns(List.of("customer_key"))
                .distributionMode(Tables.CUSTOMER_FEATURES.distributionMode())
                .uidSuffix(Operators.FEATURES_SINK_SUFFIX)
                .append();

        DataStream<CustomerFeatures> history =
                changes.transform(
                                Operators.HISTORY_COALESCE_NAME,
                                changes.getType(),
                                new LatestPerBucket<>(
                                                new FeaturesKeySelector(),
                                                features -> features.asOf,
                                                changes.getType(),
                                                settings.historyBucket().toMillis())
                                        .erasedWhen(features -> features.erased))
                        .uid(Operators.HISTORY_COALESCE_UID);
        // Rows arrive keyed by customer already, one per (customer, instant) per checkpoint: no
        // shuffle is needed (hashing would send each month to a single writer).
        IcebergSink.forRowData(toRows(history, Operators.HISTORY_TO_ROWS_UID))
                .tableLoader(catalog.tableLoader(Tables.CUSTOMER_FEATURES_HISTORY))
                .upsert(true)
                .equalityFieldColumns(List.of("customer_key", "as_of"))
                .distributionMode(Tables.CUSTOMER_FEATURES_HISTORY.distributionMode())
                .uidSuffix(Operators.HISTORY_SINK_SUFFIX)
                .append();
    }

    private static DataStream<RowData> toRows(DataStream<CustomerFeatures> features, String uid) {
        return features.map(FeatureRows::toRow, InternalTypeInfo.of(FeatureRows.ROW_TYPE))
                .uid(uid)
                .name("Features to table rows");
    }

    @Override
    public void segmentChanges(DataStream<SegmentChange> changes) {
        appendAsRows(
                changes,
                SegmentChangeRows::toRow,
                SegmentChangeRows.ROW_TYPE,
                Operators.SEGMENT_CHANGES_TO_ROWS_UID,
                Operators.SEGMENT_CHANGES_TO_ROWS_NAME,
                Tables.SEGMENT_CHANGES,
                Operators.SEGMENT_CHANGES_SINK_SUFFIX);
    }

    @Override
    public void cartAbandonments(DataStream<CartAbandonment> abandonments) {
        appendAsRows(
                abandonments,
                CartAbandonmentRows::toRow,
                CartAbandonmentRows.ROW_TYPE,
                Operators.CART_ABANDONMENTS_TO_ROWS_UID,
                "Cart abandonments to table rows",
                Tables.CART_ABANDONMENTS,
                Operators.CART_ABANDONMENTS_SINK_SUFFIX);
    }

    @Override
    public void identityLinks(DataStream<IdentityLink> links) {
        appendAsRows(
                links,
                IdentityLinkRows::toRow,
                IdentityLinkRows.ROW_TYPE,
                Operators.IDENTITY_LINKS_TO_ROWS_UID,
                "Identity links to table rows",
                Tables.IDENTITY_LINKS,
                Operators.IDENTITY_LINKS_SINK_SUFFIX);
    }

    @Override
    public void browseAbandonments(DataStream<BrowseAbandonment> abandonments) {
        appendAsRows(
                abandonments,
                BrowseAbandonmentRows::toRow,
                BrowseAbandonmentRows.ROW_TYPE,
                Operators.BROWSE_TO_ROWS_UID,
                "Browse abandonments to table rows",
                Tables.BROWSE_ABANDONMENTS,
                Operators.BROWSE_SINK_SUFFIX);
    }

    /**
     * {@code scores}: per customer, model and role the last score of each event-time bucket ({@code
     * personalize.scores.bucket}), appended when the bucket closes.
     */
    @Override
    public void scores(DataStream<CustomerScore> scores) {
        DataStream<CustomerScore> latest =
                scores.transform(
                                Operators.SCORES_COALESCE_NAME,
                                scores.getType(),
                                new LatestPerBucket<>(
                                                (CustomerScore s) ->
                                                        s.customerKey
                                                                + '/'
                                                                + s.model
                                                                + '/'
                                                                + s.role,
                                                s -> s.asOf,
                                                scores.getType(),
                                                settings.models().scoresBucket().toMillis())
                                        .erasedWhen(score -> score.erased))
                        .uid(Operators.SCORES_COALESCE_UID);
        appendAsRows(
                latest,
                ScoreRows::toRow,
                ScoreRows.ROW_TYPE,
                Operators.SCORES_TO_ROWS_UID,
                "Scores to table rows",
                Tables.SCORES,
                Operators.SCORES_SINK_SUFFIX);
    }

    /**
     * {@code decisions}: every decision outcome, appended (the decision log). {@code
     * decisions_latest}: the same rows upserted on the decision, so that it holds each decision's
     * final outcome. The rows of one decision come from the customer's decision subtask in the
     * order they were decided and reach one writer (no shuffle), which keeps the last.
     */
    @Override
    public void decisions(DataStream<Decision> decisions) {
        DataStream<RowData> rows =
                decisions
                        .map(DecisionRows::toRow, InternalTypeInfo.of(DecisionRows.ROW_TYPE))
                        .uid(Operators.DECISIONS_TO_ROWS_UID)
                        .name("Decisions to table rows");
        append(rows, Tables.DECISIONS, Operators.DECISIONS_SINK_SUFFIX);
        IcebergSink.forRowData(rows)
                .tableLoader(catalog.tableLoader(Tables.DECISIONS_LATEST))
                .upsert(true)
                .equalityFieldColumns(Tables.DECISIONS_LATEST_KEY)
                .distributionMode(Tables.DECISIONS_LATEST.distributionMode())
                .uidSuffix(Operators.DECISIONS_LATEST_SINK_SUFFIX)
                .append();
    }

    /** {@code deliveries}: how each trigger ended, appended. */
    @Override
    public void deliveries(DataStream<DeliveryResult> deliveries) {
        appendAsRows(
                deliveries,
                DeliveryRows::toRow,
                DeliveryRows.ROW_TYPE,
                Operators.DELIVERIES_TO_ROWS_UID,
                "Deliveries to table rows",
                DeliveryTables.DELIVERIES,
                Operators.DELIVERIES_SINK_SUFFIX);
    }

    /** {@code conversions}: attributed purchases, linked opens and clicks, appended. */
    @Override
    public void conversions(DataStream<Conversion> conversions) {
        appendAsRows(
                conversions,
                ConversionRows::toRow,
                ConversionRows.ROW_TYPE,
                Operators.CONVERSIONS_TO_ROWS_UID,
                "Conversions to table rows",
                DeliveryTables.CONVERSIONS,
                Operators.CONVERSIONS_SINK_SUFFIX);
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        appendAsRows(
                deadLetters,
                DeadLetterRows::toRow,
                DeadLetterRows.ROW_TYPE,
                Operators.DEAD_LETTERS_TO_ROWS_UID,
                Operators.DEAD_LETTERS_TO_ROWS_NAME,
                Tables.DEAD_LETTERS,
                Operators.DEAD_LETTERS_SINK_SUFFIX);
    }

    /** Maps records to a table's rows (a stable uid for the mapping) and appends them. */
    private <T> void appendAsRows(
            DataStream<T> records,
            MapFunction<T, RowData> toRow,
            RowType rowType,
            String uid,
            String name,
            TableDefinition table,
            String sinkSuffix) {
        DataStream<RowData> rows =
                records.map(toRow, InternalTypeInfo.of(rowType)).uid(uid).name(name);
        append(rows, table, sinkSuffix);
    }

    /** Appends rows to a table, distributed as the table declares (no extra shuffle: none). */
    private void append(DataStream<RowData> rows, TableDefinition table, String uidSuffix) {
        IcebergSink.forRowData(rows)
                .tableLoader(catalog.tableLoader(table))
                .distributionMode(table.distributionMode())
                .uidSuffix(uidSuffix)
                .append();
    }
}
