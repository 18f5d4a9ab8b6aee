package io.personalize.job;

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
import io.personalize.job.carts.CartStages;
import io.personalize.job.config.JobSettings;
import io.personalize.job.customers.CustomerOperator;
import io.personalize.job.customers.CustomerStage;
import io.personalize.job.decisions.DecisionStage;
import io.personalize.job.delivery.ConversionStage;
import io.personalize.job.delivery.DeliveryStage;
import io.personalize.job.events.IntakeStage;
import io.personalize.job.features.FeatureReaders;
import io.personalize.job.scoring.ScoringStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Builds the job graph, in one place, from injected inputs and sinks: the demo, the tests, the
 * bench and production all call {@link #build}. It only connects the stages, each built next to its
 * functions, and hands their outputs to the sinks:
 *
 * <pre>
 * raw records -> intake: parse + validate, event time, too old?, identity, de-duplicate
 *   ({@link IntakeStage}) -> events
 *   -> customer features and segments ({@link CustomerStage}) -> feature tables, segment changes
 *        (segment definition updates, broadcast) -/   |-> cart patterns (CEP) and
 *                                                     |   recommendations ({@link CartStages})
 *        (model registry readings, broadcast) -> scoring ({@link ScoringStage}) -> scores
 *   -> decisions (flows, consent, caps, quiet hours; {@link DecisionStage}) -> decisions
 *        -> to_send: delivery (async HTTP, signed, retried; {@link DeliveryStage}) -> deliveries
 *        -> with purchases, opens, clicks: conversions ({@link ConversionStage}) -> conversions
 * every stage's refusals -> dead letters
 * </pre>
 *
 * <p>A bounded replay ({@code endOfTime} given) computes the feature tables and segments only: the
 * live stages (cart patterns, scoring, decisions, delivery, conversions) are not built (a replay
 * must not report abandonments or decide again).
 *
 * <pre>{@code
 * PipelineInput input = new PipelineInput("files", env.fromSource(...), InputFormat.ENVELOPE, "events.jsonl");
 * Streams streams = PersonalizationPipeline.build(List.of(input), new IcebergPipelineSinks(catalog, settings), settings);
 * KafkaDecisionSink.attach(streams.live().orElseThrow().decisions(), kafka);
 * env.execute("personalize");
 * }</pre>
 */
public final class PersonalizationPipeline {
    private PersonalizationPipeline() {}

    /**
     * The streams later stages build on, in every run.
     *
     * @param events the events as read, keyed by customer
     * @param live the live stages' streams; empty in a bounded replay
     */
    public record Streams(
            KeyedStream<Event, String> events,
            KeyedStream<CustomerFeatures, String> features,
            DataStream<SegmentChange> segmentChanges,
            DataStream<DeadLetter> deadLetters,
            Optional<Live> live) {}

    /**
     * The streams of the live stages.
     *
     * @param scores empty when models are off
     * @param deliveries empty when delivery is off
     */
    public record Live(
            DataStream<CartAbandonment> cartAbandonments,
            DataStream<BrowseAbandonment> browseAbandonments,
            Optional<DataStream<CustomerScore>> scores,
            DataStream<Decision> decisions,
            Optional<DataStream<DeliveryResult>> deliveries,
            DataStream<Conversion> conversions) {}

    public static Streams build(
            List<PipelineInput> inputs, PipelineSinks sinks, JobSettings settings) {
        return build(inputs, sinks, settings, null);
    }

    /**
     * @param endOfTime for a bounded replay whose last event time is known: time stops there (see
     *     {@link CustomerOperator}); {@code null} otherwise
     */
    public static Streams build(
            List<PipelineInput> inputs, PipelineSinks sinks, JobSettings settings, Long endOfTime) {
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        IntakeStage.Outputs intake = IntakeStage.build(inputs, sinks, settings, endOfTime == null);
        deadLetters.add(intake.deadLetters());
        sinks.events(intake.asRead());

        CustomerStage.Outputs customers = CustomerStage.build(intake.events(), settings, endOfTime);
        deadLetters.add(customers.deadLetters());
        sinks.customerFeatures(customers.features());
        List<DataStream<SegmentChange>> segmentChanges = new ArrayList<>();
        segmentChanges.add(customers.segmentChanges());

        Optional<Live> live = Optional.empty();
        if (customers.carts().isPresent()) {
            live =
                    Optional.of(
                            live(
                                    intake.asRead(),
                                    customers.features(),
                                    customers.carts().get(),
                                    sinks,
                                    settings,
                                    deadLetters,
                                    segmentChanges));
        }
        DataStream<SegmentChange> allSegmentChanges = union(segmentChanges);
        sinks.segmentChanges(allSegmentChanges);
        DataStream<DeadLetter> allDeadLetters = union(deadLetters);
        sinks.deadLetters(allDeadLetters);
        return new Streams(
                intake.asRead(), customers.features(), allSegmentChanges, allDeadLetters, live);
    }

    /**
     * The live stages, after the customers; their dead letters are added to {@code deadLetters},
     * the score segments' changes to {@code segmentChanges}.
     */
    private static Live live(
            KeyedStream<Event, String> events,
            KeyedStream<CustomerFeatures, String> features,
            CustomerStage.CartInputs carts,
            PipelineSinks sinks,
            JobSettings settings,
            List<DataStream<DeadLetter>> deadLetters,
            List<DataStream<SegmentChange>> segmentChanges) {
        CartStages.Outputs abandonments =
                CartStages.build(
                        carts.activity(),
                        carts.interactions(),
                        settings.carts(),
                        settings.featureStateTtl());
        sinks.cartAbandonments(abandonments.cartAbandonments());
        sinks.browseAbandonments(abandonments.browseAbandonments());

        ScoringStage.Outputs scoring =
                ScoringStage.build(
                        features,
                        settings.models(),
                        settings.segments(),
                        settings.declaredWatch(),
                        FeatureReaders.of(settings));
        scoring.scores().ifPresent(sinks::scores);
        scoring.deadLetters().ifPresent(deadLetters::add);
        scoring.segmentChanges().ifPresent(segmentChanges::add);

        SingleOutputStreamOperator<Decision> decisions =
                DecisionStage.build(
                        scoring.moments(),
                        abandonments.cartAbandonments(),
                        abandonments.browseAbandonments(),
                        settings.segments(),
                        settings.decisions(),
                        settings.featureStateTtl(),
                        settings.hashSecret(),
                        settings.declaredWatch(),
                        FeatureReaders.of(settings));
        deadLetters.add(decisions.getSideOutput(Descriptors.DEAD_LETTERS));
        sinks.decisions(decisions);

        Optional<DataStream<DeliveryResult>> deliveries = Optional.empty();
        if (settings.delivery().enabled()) {
            DeliveryStage.Outputs delivered =
                    DeliveryStage.build(
                            decisions,
                            decisions.getSideOutput(Descriptors.CANCELLED_DELIVERIES),
                            settings.delivery());
            deadLetters.add(delivered.deadLetters());
            sinks.deliveries(delivered.results());
            deliveries = Optional.of(delivered.results());
        }
        DataStream<Conversion> conversions =
                ConversionStage.build(events, decisions, settings.delivery());
        sinks.conversions(conversions);
        return new Live(
                abandonments.cartAbandonments(),
                abandonments.browseAbandonments(),
                scoring.scores(),
                decisions,
                deliveries,
                conversions);
    }

    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> all = streams.get(0);
        for (DataStream<T> next : streams.subList(1, streams.size())) {
            all = all.union(next);
        }
        return all;
    }
}
