package io.personalize.job.replay;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.conversions.Conversion;
import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentChange;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.PipelineInput;
import io.personalize.job.PipelineSinks;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.Tables;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.source.IcebergSource;

/**
 * Recomputes the feature tables from history in Flink's batch execution mode, through the very
 * graph the streaming job runs ({@link PersonalizationPipeline}): the same parser, de-duplication
 * and feature code, so training sets and live features agree. Time stops at the last event of the
 * input. Writes {@code customer_features} and {@code customer_features_history} of the target
 * namespace; events and dead letters are not written again.
 */
public final class ReplayRunner {
    public static final String TABLE_INPUT_ID = "events-table";

    private ReplayRunner() {}

    /** What a replay read and where its time stopped. */
    public record Result(Long endOfTime, double seconds) {}

    /**
     * Replays the {@code events} table of {@code source} into the feature tables of {@code target}.
     */
    public static Result fromEventsTable(
            Configuration conf,
            JobSettings settings,
            CatalogSettings source,
            CatalogSettings target)
            throws Exception {
        Long end =
                source.withCatalog(
                        catalog ->
                                EventTimeBounds.lastEventTime(
                                        catalog.loadTable(
                                                Tables.EVENTS.identifier(
                                                        source.icebergNamespace()))));
        StreamExecutionEnvironment env = batchEnvironment(conf);
        Schema payloadOnly = Tables.EVENTS.schema().select("payload");
        DataStream<String> payloads =
                env.fromSource(
                                IcebergSource.forRowData()
                                        .tableLoader(source.tableLoader(Tables.EVENTS))
                                        .project(payloadOnly)
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "Events table",
                                org.apache.flink.table.runtime.typeutils.InternalTypeInfo.of(
                                        io.personalize.tables.rows.EventRows.payloadRowType()))
                        .uid("source-" + TABLE_INPUT_ID)
                        .map(ReplayRunner::payload, Types.STRING)
                        .name("Payload");
        return run(
                env,
                PipelineInput.ofText(
                        TABLE_INPUT_ID, payloads, InputFormat.ENVELOPE, TABLE_INPUT_ID),
                settings,
                target,
                end);
    }

    /** Replays files (a backfill) into the feature tables of {@code target}. */
    public static Result fromFiles(
            Configuration conf,
            JobSettings settings,
            Path input,
            InputFormat format,
            CatalogSettings target)
            throws Exception {
        Long end = EventTimeBounds.lastEventTime(input, settings.parser(format));
        StreamExecutionEnvironment env = batchEnvironment(conf);
        return run(env, FileInputs.of(env, input, format, null), settings, target, end);
    }

    private static Result run(
            StreamExecutionEnvironment env,
            PipelineInput input,
            JobSettings settings,
            CatalogSettings target,
            Long endOfTime)
            throws Exception {
        long started = System.nanoTime();
        PersonalizationPipeline.build(
                List.of(input),
                new FeatureTablesOnly(new IcebergPipelineSinks(target, settings)),
                settings,
                endOfTime);
        env.execute("personalize-replay");
        return new Result(endOfTime, (System.nanoTime() - started) / 1e9);
    }

    private static StreamExecutionEnvironment batchEnvironment(Configuration userConf) {
        Configuration conf = ConfigLoader.withLocalDefaults(userConf);
        conf.removeKey("execution.checkpointing.interval");
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    private static String payload(RowData row) {
        return row.getString(0).toString();
    }

    /** Writes the feature tables; events and dead letters of a replay are already on record. */
    private record FeatureTablesOnly(IcebergPipelineSinks tables) implements PipelineSinks {
        @Override
        public void events(DataStream<Event> events) {
            events.sinkTo(new DiscardingSink<>()).name("Events already on record");
        }

        @Override
        public void customerFeatures(DataStream<CustomerFeatures> changes) {
            tables.customerFeatures(changes);
        }

        /**
         * Not replayed: batch mode fires a customer's timers after all their events, so the order
         * of changes between events is not reproduced (the final memberships, on the feature rows,
         * are).
         */
        @Override
        public void segmentChanges(DataStream<SegmentChange> changes) {
            changes.sinkTo(new DiscardingSink<>()).name("Segment changes not replayed");
        }

        /** Never called: a replay does not build the cart patterns. */
        @Override
        public void cartAbandonments(DataStream<CartAbandonment> abandonments) {
            abandonments.sinkTo(new DiscardingSink<>()).name("Abandonments not replayed");
        }

        @Override
        public void browseAbandonments(DataStream<BrowseAbandonment> abandonments) {
            abandonments.sinkTo(new DiscardingSink<>()).name("Abandonments not replayed");
        }

        @Override
        public void scores(DataStream<CustomerScore> scores) {
            scores.sinkTo(new DiscardingSink<>()).name("Scores not replayed");
        }

        @Override
        public void decisions(DataStream<Decision> decisions) {
            decisions.sinkTo(new DiscardingSink<>()).name("Decisions not replayed");
        }

        @Override
        public void deliveries(DataStream<DeliveryResult> deliveries) {
            deliveries.sinkTo(new DiscardingSink<>()).name("Deliveries not replayed");
        }

        @Override
        public void conversions(DataStream<Conversion> conversions) {
            conversions.sinkTo(new DiscardingSink<>()).name("Conversions not replayed");
        }

        @Override
        public void deadLetters(DataStream<DeadLetter> deadLetters) {
            deadLetters.sinkTo(new DiscardingSink<>()).name("Dead letters already on record");
        }
    }
}
