package io.personalize.cep;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.BrowseState;
import io.personalize.core.carts.ProductInteraction;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * <b>Browse abandonment</b> as a keyed timer function, not a CEP pattern, over each customer's
 * product interactions (views, adds, bought lines): the same product viewed at least {@code
 * min-views} times within {@code window}, then {@code quiet-period} after the last of those views
 * with no add-to-cart or purchase of it (the logic is {@link BrowseState}).
 *
 * <p>Why not CEP: the pattern is per product (a customer browses many at once), it counts views in
 * a sliding window that ends at the <i>last</i> view, and its silence is measured from that last
 * view, while CEP's {@code within} is measured from the first event of a match and a looping stage
 * before {@code notFollowedBy} is the case FLINK-31040 changed. One timer per customer at the
 * earliest due product states it directly.
 *
 * <p>An interaction that comes after a product's moment first emits what was due before it, so the
 * abandonments do not depend on whether the watermark or the customer's next event came first.
 *
 * <p>Identity stitching: a visitor's key that merges into a customer is closed ({@link
 * ProductInteraction.Kind#CLOSED}, reporting only what was due before the login), and the visitor's
 * interactions come again under the customer ({@link ProductInteraction#carriedAt}), so views the
 * visitor left open become the customer's browse abandonment unless the customer carts or buys.
 */
public final class BrowseAbandonmentFunction
        extends KeyedProcessFunction<String, ProductInteraction, BrowseAbandonment> {
    private static final long serialVersionUID = 1L;

    public static final String STATE_NAME = "browse";

    private final int minViews;
    private final long windowMillis;
    private final long quietMillis;
    private final Duration stateTtl;

    private transient ValueState<BrowseState> state;

    public BrowseAbandonmentFunction(
            int minViews, Duration window, Duration quietPeriod, Duration stateTtl) {
        if (minViews < 1) {
            throw new IllegalArgumentException("min-views must be at least 1: " + minViews);
        }
        this.minViews = minViews;
        this.windowMillis = window.toMillis();
        this.quietMillis = quietPeriod.toMillis();
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<BrowseState> descriptor =
                new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(BrowseState.class));
        // the state clears itself when nothing is pending; TTL only catches the abandoned rest, so
        // no cleanup on every access (it showed in profiles); expired state leaves at snapshots
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(stateTtl)
                        .disableCleanupInBackground()
                        .cleanupFullSnapshot()
                        .build());
        state = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(
            ProductInteraction interaction, Context ctx, Collector<BrowseAbandonment> out)
            throws Exception {
        BrowseState browse = state.value();
        if (interaction.kind == ProductInteraction.Kind.CLOSED) {
            // merged into a customer: what was due before the close is reported (whether or not
            // the watermark got there first: the same in every run), nothing after it
            if (browse != null) {
                if (browse.nextDueAt() < interaction.at) {
                    emit(
                            browse.due(
                                    ctx.getCurrentKey(),
                                    interaction.at - 1,
                                    minViews,
                                    windowMillis,
                                    quietMillis),
                            out);
                }
                if (browse.timerAt != null) {
                    ctx.timerService().deleteEventTimeTimer(browse.timerAt);
                }
            }
            state.clear();
            return;
        }
        if (browse == null) {
            browse = new BrowseState();
        }
        // A carried-over interaction is older than the login that carries it: what the
        // customer's own views made due before that login is reported first, whether or not the
        // watermark got there before the merge did (the same in every run).
        long now = interaction.carriedAt != null ? interaction.carriedAt : interaction.at;
        if (browse.nextDueAt() < now) {
            // due before this interaction, whether or not the watermark got there first: the same
            // abandonments in every run, however far the customer's events run ahead of it
            emit(
                    browse.due(ctx.getCurrentKey(), now - 1, minViews, windowMillis, quietMillis),
                    out);
        }
        if (interaction.carriedAt != null) {
            browse.applyCarried(interaction, minViews, windowMillis, quietMillis);
        } else {
            browse.apply(interaction, minViews, windowMillis, quietMillis);
        }
        reschedule(ctx, browse);
    }

    private static void emit(List<BrowseAbandonment> due, Collector<BrowseAbandonment> out) {
        long now = System.currentTimeMillis();
        for (BrowseAbandonment abandonment : due) {
            abandonment.processedAt = now;
            out.collect(abandonment);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<BrowseAbandonment> out)
            throws Exception {
        BrowseState browse = state.value();
        if (browse == null || browse.timerAt == null || browse.timerAt != timestamp) {
            return;
        }
        browse.timerAt = null;
        emit(browse.due(ctx.getCurrentKey(), timestamp, minViews, windowMillis, quietMillis), out);
        reschedule(ctx, browse);
    }

    private void reschedule(Context ctx, BrowseState browse) throws Exception {
        long next = browse.nextDueAt();
        if (browse.timerAt != null && browse.timerAt != next) {
            ctx.timerService().deleteEventTimeTimer(browse.timerAt);
            browse.timerAt = null;
        }
        if (next != Long.MAX_VALUE && browse.timerAt == null) {
            ctx.timerService().registerEventTimeTimer(next);
            browse.timerAt = next;
        }
        if (browse.isEmpty()) {
            state.clear();
        } else {
            state.update(browse);
        }
    }
}
