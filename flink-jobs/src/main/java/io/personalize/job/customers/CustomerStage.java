package io.personalize.job.customers;

import io.personalize.core.carts.CartActivity;
import io.personalize.core.carts.ProductInteraction;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.segments.SegmentChange;
import io.personalize.job.Descriptors;
import io.personalize.job.Operators;
import io.personalize.job.config.JobSettings;
import io.personalize.job.events.CustomerKeySelector;
import io.personalize.job.events.GuestRowFilter;
import io.personalize.job.features.DeclaredFeaturesPoller;
import io.personalize.job.features.FeatureReaders;
import io.personalize.job.features.FeaturesKeySelector;
import io.personalize.job.segments.SegmentDefinitionsPoller;
import io.personalize.job.segments.SegmentRulesUpdate;
import io.personalize.job.segments.SuppressionListPoller;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The customer stage of the graph: each customer's features and segments ({@link
 * CustomerOperator}), still partitioned by customer (no shuffle).
 *
 * <pre>
 * events -> guest rows skipped (personalize.input.guest-rows)
 *   -> customer features and segments (keyed state, event-time timers) -> features
 *        (segment definitions, suppression list,   -/   |-> segment changes
 *         declared-features readings; broadcast)       |-> cart activity and
 *                                                      |   product interactions
 * </pre>
 *
 * <p>A bounded replay ({@code endOfTime} given) watches no file and emits no cart activity.
 *
 * <pre>{@code
 * CustomerStage.Outputs customers = CustomerStage.build(events, settings, endOfTime);
 * }</pre>
 */
public final class CustomerStage {
    private CustomerStage() {}

    /**
     * @param carts what the cart and browse stages read; empty in a bounded replay
     */
    public record Outputs(
            KeyedStream<CustomerFeatures, String> features,
            DataStream<SegmentChange> segmentChanges,
            DataStream<DeadLetter> deadLetters,
            Optional<CartInputs> carts) {}

    /** The customer stage's cart activity and product interactions, for the cart stages. */
    public record CartInputs(
            DataStream<CartActivity> activity, DataStream<ProductInteraction> interactions) {}

    /**
     * @param endOfTime for a bounded replay whose last event time is known: time stops there (see
     *     {@link CustomerOperator}); {@code null} otherwise
     */
    public static Outputs build(
            KeyedStream<Event, String> events, JobSettings settings, Long endOfTime) {
        SingleOutputStreamOperator<CustomerFeatures> customers =
                customers(withoutGuestRows(events, settings), settings, endOfTime);
        KeyedStream<CustomerFeatures, String> features =
                DataStreamUtils.reinterpretAsKeyedStream(customers, new FeaturesKeySelector());
        DataStream<SegmentChange> segmentChanges =
                customers.getSideOutput(Descriptors.SEGMENT_CHANGES);
        DataStream<DeadLetter> deadLetters = customers.getSideOutput(Descriptors.DEAD_LETTERS);
        Optional<CartInputs> carts =
                endOfTime == null
                        ? Optional.of(
                                new CartInputs(
                                        customers.getSideOutput(Descriptors.CART_ACTIVITY),
                                        customers.getSideOutput(Descriptors.PRODUCT_INTERACTIONS)))
                        : Optional.empty();
        return new Outputs(features, segmentChanges, deadLetters, carts);
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
     * Features and segments per customer ({@link CustomerOperator}); with a watched definitions
     * file or suppression list (unbounded runs), a second input of their updates broadcast to every
     * subtask.
     */
    private static SingleOutputStreamOperator<CustomerFeatures> customers(
            KeyedStream<Event, String> events, JobSettings settings, Long endOfTime) {
        TypeInformation<CustomerFeatures> type = TypeInformation.of(CustomerFeatures.class);
        FeatureEngine engine = new FeatureEngine(settings.features(), settings.declared());
        SingleOutputStreamOperator<CustomerFeatures> customers;
        DataStream<SegmentRulesUpdate> updates =
                endOfTime == null ? definitionUpdates(events, settings) : null;
        if (updates != null) {
            WatchedCustomerOperator operator =
                    new WatchedCustomerOperator(
                            engine, settings.featureStateTtl(), null, settings.segments());
            operator.withFeatureReaders(FeatureReaders.of(settings))
                    .withCartOutputs()
                    .withSuppressionList(settings.suppressionList());
            if (settings.stitchesIdentities()) {
                operator.withIdentityMerges(settings.outOfOrderness());
            }
            customers =
                    events.connect(updates.broadcast())
                            .transform(Operators.FEATURES_NAME, type, operator);
        } else {
            CustomerOperator operator =
                    new CustomerOperator(
                            engine, settings.featureStateTtl(), endOfTime, settings.segments());
            if (settings.stitchesIdentities()) {
                operator.withIdentityMerges(settings.outOfOrderness());
            }
            if (endOfTime == null) {
                operator.withCartOutputs();
            }
            operator.withSuppressionList(settings.suppressionList());
            customers = events.transform(Operators.FEATURES_NAME, type, operator);
        }
        return customers.uid(Operators.FEATURES_UID);
    }

    /**
     * Readings of the watched segment definitions, suppression list and declared features, in one
     * stream; null when none is watched.
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
        if (settings.watchesDeclared()) {
            DataStream<SegmentRulesUpdate> declared =
                    DeclaredFeaturesPoller.stream(
                            events.getExecutionEnvironment(),
                            Path.of(settings.declaredWatch().path()),
                            settings.declaredWatch().pollInterval());
            updates = updates == null ? declared : updates.union(declared);
        }
        return updates;
    }
}
