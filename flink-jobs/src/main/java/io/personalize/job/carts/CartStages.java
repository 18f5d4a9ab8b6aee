package io.personalize.job.carts;

import io.personalize.cep.BrowseAbandonmentFunction;
import io.personalize.cep.CartAbandonedPattern;
import io.personalize.cep.CartReminderPattern;
import io.personalize.cep.CartSignal;
import io.personalize.cep.RepeatAbandonmentMarker;
import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.CartActivity;
import io.personalize.core.carts.ProductInteraction;
import io.personalize.job.Operators;
import io.personalize.job.config.CartSettings;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The cart and browse stages of the graph, after the customer operator:
 *
 * <pre>
 * cart activity -> CEP cart abandoned -> repeat marking --+--> recommendations -> cart_abandonments
 *      \                                                  |         ^       \
 *       +--> (with the abandonments) CEP cart reminder ---+         |        +-> browse_abandonments
 * product interactions -> browse abandonment -----------------------+
 * product interactions ---------------------------------------------+
 * </pre>
 *
 * Everything stays partitioned by customer (no shuffle): the side outputs of the keyed customer
 * operator are re-read as keyed streams. The recommender ({@link RecommendStages}) partitions its
 * model by product and merges per customer, at the job's parallelism.
 */
public final class CartStages {
    private CartStages() {}

    /** The typed outputs later stages (decisions) read. */
    public record Outputs(
            DataStream<CartAbandonment> cartAbandonments,
            DataStream<BrowseAbandonment> browseAbandonments) {}

    public static Outputs build(
            DataStream<CartActivity> activity,
            DataStream<ProductInteraction> interactions,
            CartSettings settings,
            Duration stateTtl) {
        KeyedStream<CartActivity, String> keyedActivity =
                DataStreamUtils.reinterpretAsKeyedStream(activity, new ActivityKey());
        SingleOutputStreamOperator<CartAbandonment> abandonedMatches =
                new CartAbandonedPattern(settings.abandonAfter())
                        .apply(keyedActivity)
                        .uid(Operators.CART_ABANDONED_UID)
                        .name(Operators.CART_ABANDONED_NAME);
        DataStream<CartAbandonment> abandoned =
                DataStreamUtils.reinterpretAsKeyedStream(
                                abandonedMatches.getSideOutput(CartAbandonedPattern.ABANDONED),
                                new AbandonmentKey())
                        .process(new RepeatAbandonmentMarker(stateTtl))
                        .uid(Operators.CART_REPEATS_UID)
                        .name(Operators.CART_REPEATS_NAME);

        TypeInformation<CartSignal> signalType = TypeInformation.of(CartSignal.class);
        DataStream<CartSignal> signals =
                abandoned
                        .map(CartSignal::of, signalType)
                        .name("Abandonments to signals")
                        .union(
                                activity.map(CartSignal::of, signalType)
                                        .name("Activity to signals"));
        SingleOutputStreamOperator<CartAbandonment> reminderMatches =
                new CartReminderPattern(settings.remindAfter())
                        .apply(DataStreamUtils.reinterpretAsKeyedStream(signals, new SignalKey()))
                        .uid(Operators.CART_REMINDER_UID)
                        .name(Operators.CART_REMINDER_NAME);
        DataStream<CartAbandonment> lifecycle =
                abandoned.union(reminderMatches.getSideOutput(CartReminderPattern.LIFECYCLE));

        DataStream<BrowseAbandonment> browsed =
                DataStreamUtils.reinterpretAsKeyedStream(interactions, new InteractionKey())
                        .process(
                                new BrowseAbandonmentFunction(
                                        settings.browseMinViews(),
                                        settings.browseWindow(),
                                        settings.browseQuietPeriod(),
                                        stateTtl),
                                TypeInformation.of(BrowseAbandonment.class))
                        .uid(Operators.BROWSE_UID)
                        .name(Operators.BROWSE_NAME);

        RecommendStages.Recommended recommended =
                RecommendStages.build(interactions, lifecycle, browsed, settings);
        return new Outputs(recommended.lifecycle(), recommended.browsed());
    }

    /** The reminder only asks what happened when: the items and context stay behind. */
    private static CartSignal slimSignal(CartActivity activity) {
        return CartSignal.of(activity.slim());
    }

    static final class ActivityKey implements KeySelector<CartActivity, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CartActivity activity) {
            return activity.customerKey;
        }
    }

    static final class InteractionKey implements KeySelector<ProductInteraction, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ProductInteraction interaction) {
            return interaction.customerKey;
        }
    }

    static final class AbandonmentKey implements KeySelector<CartAbandonment, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CartAbandonment abandonment) {
            return abandonment.customerKey;
        }
    }

    static final class SignalKey implements KeySelector<CartSignal, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CartSignal signal) {
            return signal.customerKey();
        }
    }
}
