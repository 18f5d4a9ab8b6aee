package io.personalize.job;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.features.CustomerState;
import java.time.Duration;
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

    /** Everything one customer's features are computed from. */
    public static ValueStateDescriptor<CustomerState> customerState(Duration ttl) {
        ValueStateDescriptor<CustomerState> descriptor =
                new ValueStateDescriptor<>(
                        "customer-state", TypeInformation.of(CustomerState.class));
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build());
        return descriptor;
    }

    /** The event time of the one pending feature timer of a customer. */
    public static final ValueStateDescriptor<Long> FEATURE_TIMER_AT =
            new ValueStateDescriptor<>("feature-timer-at", Types.LONG);
}
