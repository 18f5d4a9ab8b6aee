package io.personalize.job;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.conversions.Attribution;
import io.personalize.core.conversions.Conversion;
import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentChange;
import io.personalize.job.carts.CartStages;
import io.personalize.job.config.DeliverySettings;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.ModelSettings;
import io.personalize.job.customers.CustomerOperator;
import io.personalize.job.customers.IdentityFunction;
import io.personalize.job.customers.WatchedCustomerOperator;
import io.personalize.job.decisions.DecisionInput;
import io.personalize.job.decisions.DecisionStage;
import io.personalize.job.delivery.ConversionFunction;
import io.personalize.job.delivery.DeliveryStage;
import io.personalize.job.events.CustomerKeySelector;
import io.personalize.job.events.DeduplicateFunction;
import io.personalize.job.events.EventTimeGate;
import io.personalize.job.events.GuestRowFilter;
import io.personalize.job.events.ParseFunction;
import io.personalize.job.features.FeaturesKeySelector;
import io.personalize.job.scoring.ModelRegistryPoller;
import io.personalize.job.scoring.ScoringOperator;
import io.personalize.job.scoring.WatchedScoringOperator;
import io.personalize.job.segments.SegmentDefinitionsPoller;
import io.personalize.job.segments.SegmentRulesUpdate;
import io.personalize.job.segments.SuppressionListPoller;
import io.personalize.models.ModelRegistryUpdate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Builds the job graph, in one place, from injected inputs and sinks: the demo, the tests, the
 * bench and production all call {@link #build}.
 *
 * <pre>
 * raw records -> parse + validate --(invalid)--> dead letters
 *   -> event time (bounded out-of-orderness, idleness) -> too old? --(yes)--> dead letters
 *   -> keyBy(customer) -> de-duplicate -> events
 *   -> guest rows skipped (personalize.input.guest-rows)
 *   -> customer features and segments (keyed state, event-time timers) -> feature tables
 *        (segment definition updates, broadcast) -/         |-> segment changes
 *                                                           |-> cart patterns (CEP) and
 *                                                           |   recommendations ({@link CartStages})
 *        (model registry readings, broadcast) -> scoring (ONNX, micro-batched) -> scores
 *   -> decisions (flows, consent, caps, quiet hours) -> decisions
 *        -> to_send: delivery (async HTTP, signed, retried) -> deliveries --(failed)--> dead letters
 *        -> with purchases, opens, clicks: conversions -> conversions
 * </pre>
 *
 * <p>A bounded replay ({@code endOfTime} given) computes the feature tables and segments only: the
 * cart patterns are not built (a replay must not report abandonments again).
 *
 * <pre>{@code
 * PipelineInput input = new PipelineInput("files", env.fromSource(...), InputFormat.ENVELOPE, "events.jsonl");
 * PersonalizationPipeline.build(List.of(input), new IcebergPipelineSinks(catalog, settings), settings);
 * env.execute("personalize");
 * }</pre>
 */
public final class PersonalizationPipeline {
    private PersonalizationPipeline() {}

    /** The streams later stages build on. */
    public record Streams(
            KeyedStream<Event, String> events,
            KeyedStream<CustomerFeatures, String> features,
            DataStream<SegmentChange> segmentChanges,
            DataStream<CartAbandonment> cartAbandonments,
            DataStream<BrowseAbandonment> browseAbandonments,
            DataStream<CustomerScore> scores,
            DataStream<Decision> decisions,
            DataStream<DeliveryResult> deliveries,
            DataStream<Conversion> conversions,
            DataStream<DeadLetter> deadLetters) {}

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
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("the pipeline needs at least one input");
        }
        DataStream<Event> valid = null;
        DataStream<DeadLetter> deadLetters = null;
        for (PipelineInput input : inputs) {
            SingleOutputStreamOperator<Event> parsed = parse(input, settings);
            DataStream<DeadLetter> refused = parsed.getSideOutput(Descriptors.DEAD_LETTERS);
            valid = valid == null ? parsed : valid.union(parsed);
            deadLetters = deadLetters == null ? refused : deadLetters.union(refused);
        }
        SingleOutputStreamOperator<Event> timely =
                gate(withEventTime(valid, settings), settings, endOfTime == null);
        deadLetters = deadLetters.union(timely.getSideOutput(Descriptors.DEAD_LETTERS));
        KeyedStream<Event, String> events = deduplicate(stitch(timely, sinks, settings), settings);
        // Only identity stitching adds restated events and markers: without it, all are as read.
        KeyedStream<Event, String> asRead =
                settings.stitchesIdentities() ? original(events) : events;
        sinks.events(asRead);
        SingleOutputStreamOperator<CustomerFeatures> customers =
                customers(withoutGuestRows(events, settings), settings, endOfTime);
        KeyedStream<CustomerFeatures, String> features =
                DataStreamUtils.reinterpretAsKeyedStream(customers, new FeaturesKeySelector());
        DataStream<SegmentChange> segmentChanges =
                customers.getSideOutput(Descriptors.SEGMENT_CHANGES);
        deadLetters = deadLetters.union(customers.getSideOutput(Descriptors.DEAD_LETTERS));
        sinks.customerFeatures(features);
        sinks.segmentChanges(segmentChanges);
        DataStream<CartAbandonment> cartAbandonments = null;
        DataStream<BrowseAbandonment> browseAbandonments = null;
        if (endOfTime == null) {
            CartStages.Outputs carts =
                    CartStages.build(
                            customers.getSideOutput(Descriptors.CART_ACTIVITY),
                            customers.getSideOutput(Descriptors.PRODUCT_INTERACTIONS),
                            settings.carts(),
                            settings.featureStateTtl());
            cartAbandonments = carts.cartAbandonments();
            browseAbandonments = carts.browseAbandonments();
            sinks.cartAbandonments(cartAbandonments);
            sinks.browseAbandonments(browseAbandonments);
        }
        DataStream<CustomerScore> scores = null;
        DataStream<Decision> decisions = null;
        DataStream<DeliveryResult> deliveries = null;
        DataStream<Conversion> conversions = null;
        if (endOfTime == null) {
            SingleOutputStreamOperator<DecisionInput> moments = score(features, settings);
            if (settings.models().enabled()) {
                scores = moments.getSideOutput(Descriptors.SCORES);
                deadLetters = deadLetters.union(moments.getSideOutput(Descriptors.DEAD_LETTERS));
                sinks.scores(scores);
            }
            SingleOutputStreamOperator<Decision> decided =
                    DecisionStage.build(
                            moments,
                            cartAbandonments,
                            browseAbandonments,
                            settings.segments(),
                            settings.decisions(),
                            settings.featureStateTtl());
            decisions = decided;
            deadLetters = deadLetters.union(decided.getSideOutput(Descriptors.DEAD_LETTERS));
            sinks.decisions(decisions);
            if (settings.delivery().enabled()) {
                DeliveryStage.Outputs delivered =
                        DeliveryStage.build(decisions, settings.delivery());
                deliveries = delivered.results();
                deadLetters = deadLetters.union(delivered.deadLetters());
                sinks.deliveries(deliveries);
            }
            conversions = convert(asRead, decisions, settings.delivery());
            sinks.conversions(conversions);
        }
        sinks.deadLetters(deadLetters);
        return new Streams(
                asRead,
                features,
                segmentChanges,
                cartAbandonments,
                browseAbandonments,
                scores,
                decisions,
                deliveries,
                conversions,
                deadLetters);
    }

    /**
     * Conversions ({@link ConversionFunction}): purchases, opens and clicks with the decisions
     * before them, keyed by customer.
     */
    private static DataStream<Conversion> convert(
            KeyedStream<Event, String> events,
            DataStream<Decision> decisions,
            DeliverySettings settings) {
        // Only what attribution reads crosses the network and waits in state.
        DataStream<Event> converting =
                events.filter(Attribution::converting)
                        .uid(Operators.CONVERSIONS_EVENTS_UID)
                        .name("Purchases, opens and clicks")
                        .map(Attribution::slim, events.getType())
                        .uid(Operators.CONVERSIONS_SLIM_UID)
                        .name("What attribution reads");
        return converting
                .connect(decisions)
                .keyBy(new CustomerKeySelector(), d -> d.customerKey, Types.STRING)
                .process(
                        new ConversionFunction(
                                new Attribution(
                                        settings.attributionWindow(), settings.attribution()),
                                settings.attributionWindow().toMillis()),
                        TypeInformation.of(Conversion.class))
                .uid(Operators.CONVERSIONS_UID)
                .name(Operators.CONVERSIONS_NAME);
    }

    /**
     * The customers' moments with their champion scores ({@link ScoringOperator}), chained to the
     * feature stage and keyed as it is; with a watched registry, a second input of registry
     * readings broadcast to every subtask. Without models, the moments carry no scores.
     */
    private static SingleOutputStreamOperator<DecisionInput> score(
            KeyedStream<CustomerFeatures, String> features, JobSettings settings) {
        TypeInformation<DecisionInput> type = TypeInformation.of(DecisionInput.class);
        ModelSettings models = settings.models();
        if (!models.enabled()) {
            return features.map(f -> DecisionInput.of(f, Map.of()), type)
                    .uid(Operators.SCORING_UID)
                    .name("Moments without scores");
        }
        if (models.watches()) {
            DataStream<ModelRegistryUpdate> readings =
                    ModelRegistryPoller.stream(
                            features.getExecutionEnvironment(),
                            Path.of(models.registryPath()),
                            models.pollInterval());
            return features.connect(readings.broadcast())
                    .transform(Operators.SCORING_NAME, type, new WatchedScoringOperator(models))
                    .uid(Operators.SCORING_UID);
        }
        return features.transform(Operators.SCORING_NAME, type, new ScoringOperator(models))
                .uid(Operators.SCORING_UID);
    }

    private static SingleOutputStreamOperator<Event> gate(
            DataStream<Event> events, JobSettings settings, boolean clampEndOfInput) {
        return events.transform(
                        Operators.GATE_NAME,
                        events.getType(),
                        new EventTimeGate(settings.eventRetention().toMillis(), clampEndOfInput))
                .uid(Operators.GATE_UID);
    }

    /**
     * Features and segments per customer ({@link CustomerOperator}); with a watched definitions
     * file or suppression list (unbounded runs), a second input of their updates broadcast to every
     * subtask.
     */
    private static SingleOutputStreamOperator<CustomerFeatures> customers(
            KeyedStream<Event, String> events, JobSettings settings, Long endOfTime) {
        TypeInformation<CustomerFeatures> type = TypeInformation.of(CustomerFeatures.class);
        FeatureEngine engine = new FeatureEngine(settings.features());
        SingleOutputStreamOperator<CustomerFeatures> customers;
        DataStream<SegmentRulesUpdate> updates =
                endOfTime == null ? definitionUpdates(events, settings) : null;
        if (updates != null) {
            WatchedCustomerOperator operator =
                    new WatchedCustomerOperator(
                            engine, settings.featureStateTtl(), null, settings.segments());
            operator.withCartOutputs().withSuppressionList(settings.suppressionList());
            if (settings.stitchesIdentities()) {
                operator.withIdentityMerges();
            }
            customers =
                    events.connect(updates.broadcast())
                            .transform(Operators.FEATURES_NAME, type, operator);
        } else {
            customers =
                    events.transform(
                            Operators.FEATURES_NAME,
                            type,
                            cartOutputs(
                                            identityMerges(
                                                    new CustomerOperator(
                                                            engine,
                                                            settings.featureStateTtl(),
                                                            endOfTime,
                                                            settings.segments()),
                                                    settings.stitchesIdentities()),
                                            endOfTime == null)
                                    .withSuppressionList(settings.suppressionList()));
        }
        return customers.uid(Operators.FEATURES_UID);
    }

    /**
     * Readings of the watched segment definitions and suppression list, in one stream; null when
     * neither is watched.
     */
    private static DataStream<SegmentRulesUpdate> definitionUpdates(
            KeyedStream<Event, String> events, JobSettings settings) {
        DataStream<SegmentRulesUpdate> updates = null;
        if (settings.watchesSegments()) {
            updates =
                    SegmentDefinitionsPoller.stream(
                            events.getExecutionEnvironment(),
                            Path.of(settings.segmentsPath()),
                            settings.segmentsPollInterval());
        }
        if (settings.watchesSuppression()) {
            DataStream<SegmentRulesUpdate> lists =
                    SuppressionListPoller.stream(
                            events.getExecutionEnvironment(),
                            Path.of(settings.suppressionPath()),
                            settings.hashSecret(),
                            settings.suppressionPollInterval());
            updates = updates == null ? lists : updates.union(lists);
        }
        return updates;
    }

    private static CustomerOperator identityMerges(CustomerOperator operator, boolean wanted) {
        return wanted ? operator.withIdentityMerges() : operator;
    }

    private static CustomerOperator cartOutputs(CustomerOperator operator, boolean wanted) {
        return wanted ? operator.withCartOutputs() : operator;
    }

    private static SingleOutputStreamOperator<Event> parse(
            PipelineInput input, JobSettings settings) {
        return input.records()
                .process(new ParseFunction(settings.intake(input.format()), input.sourceName()))
                .uid(Operators.PARSE_UID + input.id())
                .name(Operators.PARSE_NAME + input.format().cliName() + " " + input.id());
    }

    private static DataStream<Event> withEventTime(DataStream<Event> events, JobSettings settings) {
        WatermarkStrategy<Event> strategy =
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampAssigner((event, previous) -> event.occurredAt)
                        .withIdleness(settings.idleness());
        return events.assignTimestampsAndWatermarks(strategy)
                .uid(Operators.WATERMARKS_UID)
                .name(Operators.WATERMARKS_NAME);
    }

    /**
     * The events of customers: with {@code personalize.input.guest-rows: skip}, guest rows (in the
     * events table already) stop here, in one filter chained to de-duplication, still keyed.
     */
    private static KeyedStream<Event, String> withoutGuestRows(
            KeyedStream<Event, String> events, JobSettings settings) {
        if (!settings.skipGuestRows()) {
            return events;
        }
        DataStream<Event> customers =
                events.filter(new GuestRowFilter())
                        .uid(Operators.GUEST_ROWS_UID)
                        .name(Operators.GUEST_ROWS_NAME);
        return DataStreamUtils.reinterpretAsKeyedStream(customers, new CustomerKeySelector());
    }

    /**
     * Identity stitching ({@link IdentityFunction}): events with an anonymous id go through the
     * visitor's state, keyed by anonymous id (those with a customer id too only to link); events
     * with a customer id go on directly, in input order. Off with {@code
     * personalize.identity.buffer-events: 0}.
     */
    private static DataStream<Event> stitch(
            DataStream<Event> events, PipelineSinks sinks, JobSettings settings) {
        if (!settings.stitchesIdentities()) {
            return events;
        }
        SingleOutputStreamOperator<Event> visitors =
                events.filter(e -> e.anonymousId != null)
                        .uid(Operators.IDENTITY_UID + "-anonymous")
                        .name("Events with an anonymous id")
                        .keyBy(e -> e.anonymousId, Types.STRING)
                        .process(
                                new IdentityFunction(
                                        settings.identityBufferEvents(),
                                        settings.eventRetention().toMillis(),
                                        settings.featureStateTtl()),
                                events.getType())
                        .uid(Operators.IDENTITY_UID)
                        .name(Operators.IDENTITY_NAME);
        sinks.identityLinks(visitors.getSideOutput(Descriptors.IDENTITY_LINKS));
        DataStream<Event> known =
                events.filter(e -> e.customerId != null || e.anonymousId == null)
                        .uid(Operators.IDENTITY_UID + "-known")
                        .name("Events of known customers");
        return known.union(visitors);
    }

    /**
     * The events as read: without the anonymous events restated under a customer and the markers
     * that close a merged key (they are in {@code events} already, or are not events).
     */
    private static KeyedStream<Event, String> original(KeyedStream<Event, String> events) {
        DataStream<Event> original =
                events.filter(Event::isOriginal)
                        .uid(Operators.ORIGINAL_EVENTS_UID)
                        .name("Events as read");
        return DataStreamUtils.reinterpretAsKeyedStream(original, new CustomerKeySelector());
    }

    private static KeyedStream<Event, String> deduplicate(
            DataStream<Event> events, JobSettings settings) {
        CustomerKeySelector byCustomer = new CustomerKeySelector();
        DataStream<Event> unique =
                events.keyBy(byCustomer)
                        .process(new DeduplicateFunction(settings.dedupHorizon()))
                        .uid(Operators.DEDUP_UID)
                        .name(Operators.DEDUP_NAME);
        // Still partitioned by customer: later keyed stages chain without another shuffle.
        return DataStreamUtils.reinterpretAsKeyedStream(unique, byCustomer);
    }
}
