package io.personalize.cep;

import io.personalize.core.carts.CartAbandonment;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Marks an abandonment as a repeat when an earlier abandonment of the same cart episode was
 * recorded: the customer came back, changed the still-open cart and left it again. Keeps the
 * episode of the customer's last abandonment (a CEP match knows nothing of earlier matches).
 */
public final class RepeatAbandonmentMarker
        extends KeyedProcessFunction<String, CartAbandonment, CartAbandonment> {
    private static final long serialVersionUID = 1L;

    /** Episode start of the customer's last recorded abandonment. */
    public static final String STATE_NAME = "last-abandoned-episode";

    private final Duration stateTtl;
    private transient ValueState<Long> lastAbandonedEpisode;

    /**
     * @param stateTtl how long an episode is remembered after its last abandonment
     */
    public RepeatAbandonmentMarker(Duration stateTtl) {
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>(STATE_NAME, Types.LONG);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(stateTtl)
                        .disableCleanupInBackground()
                        .cleanupFullSnapshot()
                        .build());
        lastAbandonedEpisode = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(
            CartAbandonment abandonment, Context ctx, Collector<CartAbandonment> out)
            throws Exception {
        Long episode = abandonment.episodeStartedAt;
        abandonment.repeat =
                episode != null && Objects.equals(episode, lastAbandonedEpisode.value());
        lastAbandonedEpisode.update(episode);
        out.collect(abandonment);
    }
}
