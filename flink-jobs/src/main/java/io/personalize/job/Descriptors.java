package io.personalize.job;

import io.personalize.core.carts.CartActivity;
import io.personalize.core.carts.ProductInteraction;
import io.personalize.core.decisions.Decision;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.identity.IdentityLink;
import io.personalize.core.segments.SegmentChange;
import io.personalize.job.customers.CustomerOperator;
import io.personalize.job.customers.CustomerRecord;
import java.time.Duration;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/** State descriptors and side-output tags, in one place. */
public final class Descriptors {
    private Descriptors() {}

    /** Records refused anywhere in the pipeline. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Event ids seen per customer, with their event time, for de-duplication. */
    public static final MapStateDescriptor<String, Long> SEEN_EVENT_IDS =
            new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.LONG);

    /** When the next clean-up of {@link #SEEN_EVENT_IDS} is due (event time). */
    public static final ValueStateDescriptor<Long> DEDUP_CLEANUP_AT =
            new ValueStateDescriptor<>("dedup-cleanup-at", Types.LONG);

    /** Name of the customer state, whose keys are every customer an operator knows. */
    public static final String CUSTOMER = "customer";

    /** Everything the customer operator keeps per customer ({@link CustomerRecord}). */
    public static ValueStateDescriptor<CustomerRecord> customer(Duration ttl) {
        return withTtl(
                new ValueStateDescriptor<>(CUSTOMER, TypeInformation.of(CustomerRecord.class)),
                ttl);
    }

    private static <T> ValueStateDescriptor<T> withTtl(
            ValueStateDescriptor<T> descriptor, Duration ttl) {
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        // one entry checked per access (the heap default is five): expired
                        // customers still go within a pass over the state, at a fifth of the cost
                        .cleanupIncrementally(1, false)
                        .build());
        return descriptor;
    }

    /**
     * The customer's previous moment as the decision stage holds it ({@code MomentDeltas}),
     * expiring with the features: without it the next moment goes whole.
     */
    public static ValueStateDescriptor<io.personalize.job.decisions.MomentDeltas.SentMoment>
            sentMoment(Duration ttl) {
        return withTtl(
                new ValueStateDescriptor<>(
                        "sent-moment",
                        TypeInformation.of(
                                io.personalize.job.decisions.MomentDeltas.SentMoment.class)),
                ttl);
    }

    /** What each customer was last scored with (scoring stage), expiring with the features. */
    public static final ValueStateDescriptor<io.personalize.job.scoring.ScoreMemo> SCORE_MEMO =
            new ValueStateDescriptor<>(
                    "score-memo", TypeInformation.of(io.personalize.job.scoring.ScoreMemo.class));

    /** Each customer's score segment memberships (scoring stage). */
    public static final ValueStateDescriptor<io.personalize.core.segments.SegmentState>
            SCORE_SEGMENTS =
                    new ValueStateDescriptor<>(
                            "score-segments",
                            TypeInformation.of(io.personalize.core.segments.SegmentState.class));

    /** Score segment sizes per subtask of the scoring stage, so the gauges survive a restore. */
    public static final ListStateDescriptor<CustomerOperator.SegmentCount> SCORE_SEGMENT_COUNTS =
            new ListStateDescriptor<>(
                    "score-segment-counts",
                    TypeInformation.of(CustomerOperator.SegmentCount.class));

    /** Every score computed (champions and sampled challengers), beside the scored moments. */
    public static final OutputTag<io.personalize.core.scoring.CustomerScore> SCORES =
            new OutputTag<>(
                    "scores", TypeInformation.of(io.personalize.core.scoring.CustomerScore.class));

    /** Keys forgotten in the stream, for their rows in the tables ({@code erasure_requested}). */
    public static final OutputTag<io.personalize.core.privacy.ErasureRequest> ERASURES =
            new OutputTag<>(
                    "erasures",
                    TypeInformation.of(io.personalize.core.privacy.ErasureRequest.class));

    /**
     * Customers the decision stage forgot, for the delivery stage to give up their triggers still
     * waiting for a retry ({@link io.personalize.job.delivery.DeliveryStage#cancellation}).
     */
    public static final OutputTag<Decision> CANCELLED_DELIVERIES =
            new OutputTag<>("cancelled-deliveries", TypeInformation.of(Decision.class));

    /** Anonymous ids linked to customers, from identity stitching. */
    public static final OutputTag<IdentityLink> IDENTITY_LINKS =
            new OutputTag<>("identity-links", TypeInformation.of(IdentityLink.class));

    /** Segments entered and left, beside the customer features. */
    public static final OutputTag<SegmentChange> SEGMENT_CHANGES =
            new OutputTag<>("segment-changes", TypeInformation.of(SegmentChange.class));

    /** The serving segment definitions (YAML), the same on every subtask. */
    public static final MapStateDescriptor<String, String> SEGMENT_DEFINITIONS =
            new MapStateDescriptor<>("segment-definitions", Types.STRING, Types.STRING);

    /** Segment sizes per subtask, so the gauges survive a restore. */
    public static final ListStateDescriptor<CustomerOperator.SegmentCount> SEGMENT_COUNTS =
            new ListStateDescriptor<>(
                    "segment-counts", TypeInformation.of(CustomerOperator.SegmentCount.class));

    /** Adds, removals and purchases with the cart after them: the cart patterns' input. */
    public static final OutputTag<CartActivity> CART_ACTIVITY =
            new OutputTag<>("cart-activity", TypeInformation.of(CartActivity.class));

    /** Products viewed, carted or bought with their session companions: the recommender's input. */
    public static final OutputTag<ProductInteraction> PRODUCT_INTERACTIONS =
            new OutputTag<>("product-interactions", TypeInformation.of(ProductInteraction.class));
}
