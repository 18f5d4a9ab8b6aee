package io.personalize.cep;

import io.personalize.cep.conditions.AnyCartActivity;
import io.personalize.cep.conditions.LeavesOpenCart;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.CartActivity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * <b>Cart abandoned</b>: {@code abandon-after} passes after a customer's last cart change (add or
 * removal) while the cart holds something, with no further cart activity.
 *
 * <pre>
 * begin(LAST_CHANGE: an add or removal that leaves the cart non-empty)
 *   .next(NEXT_ACTIVITY: any add, removal or purchase)
 *   .within(abandon-after)
 * </pre>
 *
 * A complete match means the customer did something in time: nothing to report (the next change
 * starts its own partial match). The partial match that times out is the abandonment, handled by
 * {@link TimedOutPartialMatchHandler}: the silence case is exactly CEP's timeout.
 *
 * <ul>
 *   <li>The input holds only adds, removals and purchases of one customer (keyed), so strict
 *       contiguity ({@code next}) means "the very next thing done to the cart".
 *   <li>Timing: CEP advances time to an event's timestamp before it processes the event, so a
 *       change exactly {@code abandon-after} later comes too late: the cart was abandoned at {@code
 *       last change + abandon-after} and the change starts a repeat.
 *   <li>Skip strategy {@code noSkip}: every change starts one partial match, ended by the next
 *       activity or by the timeout; no two partial matches of one customer share an event, so
 *       nothing needs skipping, and a skip strategy that discarded the partial match started by the
 *       last event of a match would lose the newest change.
 * </ul>
 *
 * <p>The abandonments leave through {@link #ABANDONED} (a timeout handler has no collector), at
 * event time {@code last change + abandon-after}.
 */
public final class CartAbandonedPattern {
    public static final String LAST_CHANGE = "last-change";
    public static final String NEXT_ACTIVITY = "next-activity";

    public static final OutputTag<CartAbandonment> ABANDONED =
            new OutputTag<>("cart-abandoned", TypeInformation.of(CartAbandonment.class));

    private final Duration abandonAfter;

    public CartAbandonedPattern(Duration abandonAfter) {
        if (abandonAfter.isNegative() || abandonAfter.isZero()) {
            throw new IllegalArgumentException("abandon-after must be positive: " + abandonAfter);
        }
        this.abandonAfter = abandonAfter;
    }

    public Pattern<CartActivity, CartActivity> pattern() {
        return Pattern.<CartActivity>begin(LAST_CHANGE, AfterMatchSkipStrategy.noSkip())
                .where(new LeavesOpenCart())
                .next(NEXT_ACTIVITY)
                .where(new AnyCartActivity())
                .within(abandonAfter);
    }

    public PatternProcessFunction<CartActivity, CartAbandonment> function() {
        return new AbandonmentHandler();
    }

    /**
     * Applies the pattern in event time to each customer's cart activity; the abandonments are the
     * side output {@link #ABANDONED} of the returned operator (give it a uid first).
     */
    public SingleOutputStreamOperator<CartAbandonment> apply(
            KeyedStream<CartActivity, String> activity) {
        return CEP.pattern(activity, pattern())
                .inEventTime()
                .process(function(), TypeInformation.of(CartAbandonment.class));
    }

    /** Reports the timed-out partial match, the cart left after its last change. */
    static final class AbandonmentHandler
            extends PatternProcessFunction<CartActivity, CartAbandonment>
            implements TimedOutPartialMatchHandler<CartActivity> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<CartActivity>> match,
                Context ctx,
                Collector<CartAbandonment> out) {
            // the customer did something within abandon-after: not abandoned
        }

        @Override
        public void processTimedOutMatch(Map<String, List<CartActivity>> match, Context ctx) {
            CartActivity lastChange = match.get(LAST_CHANGE).get(0);
            ctx.output(ABANDONED, CartAbandonment.abandoned(lastChange, ctx.timestamp()));
        }
    }
}
