package io.personalize.cep;

import io.personalize.cep.conditions.IsAbandonment;
import io.personalize.cep.conditions.IsCartActivity;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.CartAbandonment.Status;
import io.personalize.core.carts.CartActivity;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * <b>Cart still abandoned</b>: {@code remind-after} (24 h) after an abandonment, if nothing was
 * done to the cart since, the reminder is due. The wait is cancelled the moment anything happens:
 *
 * <pre>
 * begin(ABANDONED: an abandonment)
 *   .next(INTERRUPTION: the customer's next add, removal or purchase)
 *   .within(remind-after)
 * </pre>
 *
 * <ul>
 *   <li>timeout: {@code reminder_due} at {@code abandoned + remind-after};
 *   <li>a purchase first: {@code recovered}, at the purchase's time (so a purchase at 23 h 59 m
 *       cancels the reminder);
 *   <li>a removal that empties the cart first: {@code emptied};
 *   <li>any other change first: nothing is recorded; the customer is back at the cart, and if they
 *       leave it again {@link CartAbandonedPattern} reports a new (repeat) abandonment, whose
 *       reminder then follows it.
 * </ul>
 *
 * Skip strategy {@code noSkip}: one abandonment is pending per customer at a time and its match
 * ends with the next activity, so no matches overlap. Input of one timestamp is ordered abandonment
 * first ({@link #ORDER}), as {@link CartAbandonedPattern} decided it before a change of that same
 * instant.
 */
public final class CartReminderPattern {
    public static final String ABANDONED = "abandoned";
    public static final String INTERRUPTION = "interruption";

    /** Every lifecycle change after the abandonment: reminder due, recovered, emptied. */
    public static final OutputTag<CartAbandonment> LIFECYCLE =
            new OutputTag<>("cart-lifecycle", TypeInformation.of(CartAbandonment.class));

    /** Same-instant input: abandonments before activity. */
    public static final EventComparator<CartSignal> ORDER = new AbandonmentsFirst();

    private final Duration remindAfter;

    public CartReminderPattern(Duration remindAfter) {
        if (remindAfter.isNegative() || remindAfter.isZero()) {
            throw new IllegalArgumentException("remind-after must be positive: " + remindAfter);
        }
        this.remindAfter = remindAfter;
    }

    public Pattern<CartSignal, CartSignal> pattern() {
        return Pattern.<CartSignal>begin(ABANDONED, AfterMatchSkipStrategy.noSkip())
                .where(new IsAbandonment())
                .next(INTERRUPTION)
                .where(new IsCartActivity())
                .within(remindAfter);
    }

    public PatternProcessFunction<CartSignal, CartAbandonment> function() {
        return new ReminderHandler();
    }

    /**
     * Applies the pattern in event time to each customer's abandonments and cart activity; the
     * lifecycle changes are the side output {@link #LIFECYCLE} of the returned operator.
     */
    public SingleOutputStreamOperator<CartAbandonment> apply(
            KeyedStream<CartSignal, String> signals) {
        return CEP.pattern(signals, pattern(), ORDER)
                .inEventTime()
                .process(function(), TypeInformation.of(CartAbandonment.class));
    }

    /** Turns the first thing after an abandonment, or the silence, into its lifecycle change. */
    static final class ReminderHandler extends PatternProcessFunction<CartSignal, CartAbandonment>
            implements TimedOutPartialMatchHandler<CartSignal> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(
                Map<String, List<CartSignal>> match, Context ctx, Collector<CartAbandonment> out) {
            CartAbandonment abandonment = match.get(ABANDONED).get(0).abandonment;
            CartActivity next = match.get(INTERRUPTION).get(0).activity;
            if (next.kind == CartActivity.Kind.CLOSED) {
                return; // merged into a customer: the wait ends without a lifecycle change
            }
            if (next.kind == CartActivity.Kind.PURCHASED) {
                ctx.output(LIFECYCLE, abandonment.next(Status.RECOVERED, next.at, next.eventId));
            } else if (next.emptiesCart()) {
                ctx.output(LIFECYCLE, abandonment.next(Status.EMPTIED, next.at, next.eventId));
            }
        }

        @Override
        public void processTimedOutMatch(Map<String, List<CartSignal>> match, Context ctx) {
            CartAbandonment abandonment = match.get(ABANDONED).get(0).abandonment;
            ctx.output(LIFECYCLE, abandonment.next(Status.REMINDER_DUE, ctx.timestamp(), null));
        }
    }

    /** Abandonments sort before activity of the same timestamp. */
    static final class AbandonmentsFirst implements EventComparator<CartSignal> {
        private static final long serialVersionUID = 1L;
        private static final Comparator<CartSignal> BY_KIND =
                Comparator.comparingInt(signal -> signal.abandonment != null ? 0 : 1);

        @Override
        public int compare(CartSignal a, CartSignal b) {
            return BY_KIND.compare(a, b);
        }
    }
}
