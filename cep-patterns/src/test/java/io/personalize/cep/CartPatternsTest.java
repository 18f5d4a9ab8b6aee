package io.personalize.cep;

import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.HOUR;
import static io.personalize.core.testing.Times.MINUTE;
import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.CartAbandonment.Status;
import io.personalize.core.carts.CartActivity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The cart patterns on Flink's CEP operator in a test harness: event time, out-of-order input,
 * watermarks, timeouts and a snapshot-then-restore.
 */
class CartPatternsTest {
    private static final Duration ABANDON_AFTER = Duration.ofHours(1);
    private static final Duration REMIND_AFTER = Duration.ofHours(24);

    private final CartFixtures cart = new CartFixtures();

    private static <T> KeyedOneInputStreamOperatorTestHarness<String, T, CartAbandonment> harness(
            Pattern<T, ?> pattern,
            PatternProcessFunction<T, CartAbandonment> function,
            EventComparator<T> comparator,
            Class<T> type,
            KeySelector<T, String> key)
            throws Exception {
        CepOperator<T, String, CartAbandonment> operator =
                new CepOperator<>(
                        TypeInformation.of(type).createSerializer(new SerializerConfigImpl()),
                        false,
                        NFACompiler.compileFactory(pattern, true),
                        comparator,
                        pattern.getAfterMatchSkipStrategy(),
                        function,
                        null);
        return new KeyedOneInputStreamOperatorTestHarness<>(operator, key, Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CartActivity, CartAbandonment>
            abandonments() throws Exception {
        CartAbandonedPattern p = new CartAbandonedPattern(ABANDON_AFTER);
        return harness(p.pattern(), p.function(), null, CartActivity.class, a -> a.customerKey);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CartSignal, CartAbandonment>
            reminders() throws Exception {
        CartReminderPattern p = new CartReminderPattern(REMIND_AFTER);
        return harness(
                p.pattern(),
                p.function(),
                CartReminderPattern.ORDER,
                CartSignal.class,
                CartSignal::customerKey);
    }

    private static <T> void send(
            KeyedOneInputStreamOperatorTestHarness<String, T, CartAbandonment> h, T value, long at)
            throws Exception {
        h.processElement(new StreamRecord<>(value, at));
    }

    private static List<CartAbandonment> out(
            KeyedOneInputStreamOperatorTestHarness<String, ?, CartAbandonment> h,
            OutputTag<CartAbandonment> tag) {
        ConcurrentLinkedQueue<StreamRecord<CartAbandonment>> records = h.getSideOutput(tag);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void cartIsAbandonedAtExactlyAbandonAfterPastTheLastChange() throws Exception {
        try (var h = abandonments()) {
            h.open();
            send(h, cart.add("p1", 30.0, T0), T0);
            h.processWatermark(new Watermark(T0 + HOUR - 1));
            assertThat(out(h, CartAbandonedPattern.ABANDONED)).isEmpty();

            h.processWatermark(new Watermark(T0 + HOUR));
            List<CartAbandonment> abandoned = out(h, CartAbandonedPattern.ABANDONED);
            assertThat(abandoned).hasSize(1);
            CartAbandonment a = abandoned.get(0);
            assertThat(a.status).isEqualTo(Status.ABANDONED);
            assertThat(a.at).isEqualTo(T0 + HOUR);
            assertThat(a.lastChangeAt).isEqualTo(T0);
            assertThat(a.value).isEqualTo(30.0);
            assertThat(a.items).extracting(line -> line.productId).containsExactly("p1");
        }
    }

    @Test
    void eachChangeRestartsTheClockEvenWhenItArrivesOutOfOrder() throws Exception {
        try (var h = abandonments()) {
            h.open();
            CartActivity first = cart.add("p1", 30.0, T0);
            CartActivity second = cart.add("p2", 20.0, T0 + 40 * MINUTE);
            send(h, second, second.at); // arrives first
            send(h, first, first.at);
            h.processWatermark(new Watermark(T0 + HOUR + 30 * MINUTE));
            assertThat(out(h, CartAbandonedPattern.ABANDONED)).isEmpty();

            h.processWatermark(new Watermark(T0 + 40 * MINUTE + HOUR));
            List<CartAbandonment> abandoned = out(h, CartAbandonedPattern.ABANDONED);
            assertThat(abandoned).hasSize(1);
            assertThat(abandoned.get(0).lastChangeAt).isEqualTo(T0 + 40 * MINUTE);
            assertThat(abandoned.get(0).value).isEqualTo(50.0);
        }
    }

    @Test
    void cartBoughtWithinAbandonAfterIsNotAbandoned() throws Exception {
        try (var h = abandonments()) {
            h.open();
            send(h, cart.add("p1", 30.0, T0), T0);
            send(h, cart.purchase(T0 + 59 * MINUTE), T0 + 59 * MINUTE);
            h.processWatermark(new Watermark(T0 + 10 * DAY));
            assertThat(out(h, CartAbandonedPattern.ABANDONED)).isEmpty();
        }
    }

    @Test
    void cartEmptiedByRemovalsIsNotAbandoned() throws Exception {
        try (var h = abandonments()) {
            h.open();
            send(h, cart.add("p1", 30.0, T0), T0);
            send(h, cart.remove("p1", T0 + 5 * MINUTE), T0 + 5 * MINUTE);
            h.processWatermark(new Watermark(T0 + 10 * DAY));
            assertThat(out(h, CartAbandonedPattern.ABANDONED)).isEmpty();
        }
    }

    @Test
    void returningToTheOpenCartAndLeavingItAgainIsASecondAbandonmentOfTheSameEpisode()
            throws Exception {
        try (var h = abandonments()) {
            h.open();
            send(h, cart.add("p1", 30.0, T0), T0);
            send(h, cart.add("p2", 10.0, T0 + 3 * HOUR), T0 + 3 * HOUR);
            h.processWatermark(new Watermark(T0 + 10 * DAY));
            List<CartAbandonment> abandoned = out(h, CartAbandonedPattern.ABANDONED);
            assertThat(abandoned).extracting(a -> a.at).containsExactly(T0 + HOUR, T0 + 4 * HOUR);
            assertThat(abandoned).extracting(a -> a.episodeStartedAt).containsExactly(T0, T0);
            assertThat(abandoned.get(0).abandonmentId).isNotEqualTo(abandoned.get(1).abandonmentId);
        }
    }

    @Test
    void restoredSnapshotKeepsTheWaitForSilence() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = abandonments()) {
            h.open();
            send(h, cart.add("p1", 30.0, T0), T0);
            h.processWatermark(new Watermark(T0 + 30 * MINUTE));
            snapshot = h.snapshot(1L, T0);
        }
        try (var restored = abandonments()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark(new Watermark(T0 + HOUR));
            assertThat(out(restored, CartAbandonedPattern.ABANDONED))
                    .extracting(a -> a.at)
                    .containsExactly(T0 + HOUR);
        }
    }

    @Test
    void reminderIsDueAtExactlyRemindAfterPastTheAbandonment() throws Exception {
        CartAbandonment abandoned =
                CartFixtures.abandonmentOf(cart.add("p1", 30.0, T0), ABANDON_AFTER);
        try (var h = reminders()) {
            h.open();
            send(h, CartSignal.of(abandoned), abandoned.at);
            h.processWatermark(new Watermark(abandoned.at + DAY - 1));
            assertThat(out(h, CartReminderPattern.LIFECYCLE)).isEmpty();

            h.processWatermark(new Watermark(abandoned.at + DAY));
            List<CartAbandonment> due = out(h, CartReminderPattern.LIFECYCLE);
            assertThat(due).extracting(a -> a.status).containsExactly(Status.REMINDER_DUE);
            assertThat(due.get(0).at).isEqualTo(abandoned.at + DAY);
            assertThat(due.get(0).abandonmentId).isEqualTo(abandoned.abandonmentId);
        }
    }

    @Test
    void purchaseAtTwentyThreeHoursFiftyNineMinutesCancelsTheReminderAsRecovered()
            throws Exception {
        CartAbandonment abandoned =
                CartFixtures.abandonmentOf(cart.add("p1", 30.0, T0), ABANDON_AFTER);
        long purchaseAt = abandoned.at + 23 * HOUR + 59 * MINUTE;
        try (var h = reminders()) {
            h.open();
            send(h, CartSignal.of(cart.purchase(purchaseAt)), purchaseAt); // out of order
            send(h, CartSignal.of(abandoned), abandoned.at);
            h.processWatermark(new Watermark(abandoned.at + 10 * DAY));
            List<CartAbandonment> lifecycle = out(h, CartReminderPattern.LIFECYCLE);
            assertThat(lifecycle).extracting(a -> a.status).containsExactly(Status.RECOVERED);
            assertThat(lifecycle.get(0).at).isEqualTo(purchaseAt);
            assertThat(lifecycle.get(0).closingEventId).isEqualTo("PURCHASED-" + purchaseAt);
        }
    }

    @Test
    void cartEmptiedBeforeTheReminderIsRecordedAsEmptied() throws Exception {
        CartAbandonment abandoned =
                CartFixtures.abandonmentOf(cart.add("p1", 30.0, T0), ABANDON_AFTER);
        long removedAt = abandoned.at + 2 * HOUR;
        try (var h = reminders()) {
            h.open();
            send(h, CartSignal.of(abandoned), abandoned.at);
            send(h, CartSignal.of(cart.remove("p1", removedAt)), removedAt);
            h.processWatermark(new Watermark(abandoned.at + 10 * DAY));
            assertThat(out(h, CartReminderPattern.LIFECYCLE))
                    .extracting(a -> a.status)
                    .containsExactly(Status.EMPTIED);
        }
    }

    @Test
    void changeAtTheInstantOfTheAbandonmentComesAfterIt() throws Exception {
        CartActivity first = cart.add("p1", 30.0, T0);
        CartAbandonment abandoned = CartFixtures.abandonmentOf(first, ABANDON_AFTER);
        CartActivity emptied = cart.remove("p1", abandoned.at);
        try (var h = reminders()) {
            h.open();
            send(h, CartSignal.of(emptied), emptied.at); // same timestamp, arrives first
            send(h, CartSignal.of(abandoned), abandoned.at);
            h.processWatermark(new Watermark(abandoned.at + 10 * DAY));
            assertThat(out(h, CartReminderPattern.LIFECYCLE))
                    .extracting(a -> a.status)
                    .containsExactly(Status.EMPTIED);
        }
    }

    @Test
    void restoredSnapshotKeepsThePendingReminder() throws Exception {
        CartAbandonment abandoned =
                CartFixtures.abandonmentOf(cart.add("p1", 30.0, T0), ABANDON_AFTER);
        OperatorSubtaskState snapshot;
        try (var h = reminders()) {
            h.open();
            send(h, CartSignal.of(abandoned), abandoned.at);
            h.processWatermark(new Watermark(abandoned.at + HOUR));
            snapshot = h.snapshot(1L, T0);
        }
        try (var restored = reminders()) {
            restored.initializeState(snapshot);
            restored.open();
            long purchaseAt = abandoned.at + 5 * HOUR;
            send(restored, CartSignal.of(cart.purchase(purchaseAt)), purchaseAt);
            restored.processWatermark(new Watermark(abandoned.at + 3 * DAY));
            assertThat(out(restored, CartReminderPattern.LIFECYCLE))
                    .extracting(a -> a.status)
                    .containsExactly(Status.RECOVERED);
        }
    }
}
