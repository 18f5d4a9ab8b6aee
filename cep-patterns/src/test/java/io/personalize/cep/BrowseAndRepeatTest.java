package io.personalize.cep;

import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.HOUR;
import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.ProductInteraction;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Browse abandonment and repeat marking on Flink's keyed test harness. */
class BrowseAndRepeatTest {
    private static KeyedOneInputStreamOperatorTestHarness<
                    String, ProductInteraction, BrowseAbandonment>
            browse() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new BrowseAbandonmentFunction(
                                2, Duration.ofDays(7), Duration.ofDays(1), Duration.ofDays(30))),
                interaction -> interaction.customerKey,
                Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, ProductInteraction, BrowseAbandonment> h,
            ProductInteraction.Kind kind,
            String product,
            long at)
            throws Exception {
        ProductInteraction interaction =
                new ProductInteraction(kind, product, "apparel.shoes", at, List.of());
        interaction.customerKey = "c1";
        interaction.customerId = "c1";
        h.processElement(new StreamRecord<>(interaction, at));
    }

    @Test
    void productViewedTwiceWithinAWeekAndNotCartedForADayIsBrowseAbandoned() throws Exception {
        try (var h = browse()) {
            h.open();
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0 + 2 * DAY); // out of order
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0);
            send(h, ProductInteraction.Kind.VIEWED, "p2", T0); // once only
            h.processWatermark(new Watermark(T0 + 3 * DAY - 1));
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(new Watermark(T0 + 3 * DAY));
            List<BrowseAbandonment> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).productId).isEqualTo("p1");
            assertThat(out.get(0).views).isEqualTo(2);
            assertThat(out.get(0).firstViewAt).isEqualTo(T0);
            assertThat(out.get(0).at).isEqualTo(T0 + 3 * DAY);
        }
    }

    /**
     * A visitor's views carried over at a login do not take away what the customer's own views made
     * due before the login, whether or not the watermark reached that moment before the merge: the
     * same single abandonment either way.
     */
    @Test
    void viewsCarriedOverAtALoginLeaveTheCustomersEarlierMomentAsTheWatermarkWould()
            throws Exception {
        long login = T0 + 3 * DAY;
        List<List<BrowseAbandonment>> runs = new java.util.ArrayList<>();
        for (boolean watermarkFirst : List.of(true, false)) {
            try (var h = browse()) {
                h.open();
                send(h, ProductInteraction.Kind.VIEWED, "p1", T0); // the customer's own views:
                send(h, ProductInteraction.Kind.VIEWED, "p1", T0 + HOUR); // due at T0 + 1 h + 1 d
                if (watermarkFirst) {
                    h.processWatermark(new Watermark(login - 1));
                }
                ProductInteraction carried =
                        new ProductInteraction(
                                ProductInteraction.Kind.VIEWED,
                                "p1",
                                "apparel.shoes",
                                T0 + 2 * HOUR,
                                List.of());
                carried.customerKey = "c1";
                carried.customerId = "c1";
                carried.carriedAt = login; // a visitor's view, merged at the login
                h.processElement(new StreamRecord<>(carried, login));
                h.processWatermark(new Watermark(login + 10 * DAY));
                runs.add(h.extractOutputValues());
            }
        }
        assertThat(runs.get(0))
                .extracting(a -> a.productId, a -> a.at, a -> a.views)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p1", T0 + HOUR + DAY, 2));
        assertThat(runs.get(1))
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("processedAt")
                .isEqualTo(runs.get(0));
    }

    @Test
    void anEventAfterTheMomentGivesTheSameAbandonmentAsTheWatermarkWould() throws Exception {
        try (var h = browse()) {
            h.open();
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0);
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0 + HOUR);
            // the customer's next view comes in before the watermark reached the moment
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0 + 2 * DAY);
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.at, a -> a.views)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(T0 + HOUR + DAY, 2));
        }
    }

    @Test
    void addToCartWithinTheQuietPeriodCancelsBrowseAbandonment() throws Exception {
        try (var h = browse()) {
            h.open();
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0);
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0 + HOUR);
            send(h, ProductInteraction.Kind.ADDED, "p1", T0 + 20 * HOUR);
            h.processWatermark(new Watermark(T0 + 30 * DAY));
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void viewsFurtherApartThanTheWindowDoNotCount() throws Exception {
        try (var h = browse()) {
            h.open();
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0);
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0 + 8 * DAY);
            h.processWatermark(new Watermark(T0 + 30 * DAY));
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aLaterViewMovesTheMomentAndRestoredStateKeepsIt() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = browse()) {
            h.open();
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0);
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0 + HOUR);
            send(h, ProductInteraction.Kind.VIEWED, "p1", T0 + 10 * HOUR);
            h.processWatermark(new Watermark(T0 + DAY + HOUR));
            assertThat(h.extractOutputValues()).isEmpty();
            snapshot = h.snapshot(1L, T0);
        }
        try (var restored = browse()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark(new Watermark(T0 + 30 * DAY));
            assertThat(restored.extractOutputValues())
                    .extracting(a -> a.at, a -> a.views)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(T0 + 34 * HOUR, 3));
        }
    }

    @Test
    void secondAbandonmentOfTheSameEpisodeIsMarkedRepeatAndANewEpisodeIsNot() throws Exception {
        CartFixtures cart = new CartFixtures();
        Duration after = Duration.ofHours(1);
        CartAbandonment first = CartFixtures.abandonmentOf(cart.add("p1", 10, T0), after);
        CartAbandonment second =
                CartFixtures.abandonmentOf(cart.add("p2", 10, T0 + 3 * HOUR), after);
        cart.purchase(T0 + 5 * HOUR);
        CartAbandonment third =
                CartFixtures.abandonmentOf(cart.add("p3", 10, T0 + 6 * HOUR), after);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<
                        String, CartAbandonment, CartAbandonment>(
                        new KeyedProcessOperator<>(
                                new RepeatAbandonmentMarker(Duration.ofDays(30))),
                        a -> a.customerKey,
                        Types.STRING)) {
            h.open();
            for (CartAbandonment a : List.of(first, second, third)) {
                h.processElement(new StreamRecord<>(a, a.at));
            }
            assertThat(h.extractOutputValues())
                    .extracting(a -> a.repeat)
                    .containsExactly(false, true, false);
        }
    }
}
