package io.personalize.core.features;

import static io.personalize.core.features.Events.DAY;
import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.MINUTE;
import static io.personalize.core.features.Events.SECOND;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.clicked;
import static io.personalize.core.features.Events.consent;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.delivered;
import static io.personalize.core.features.Events.item;
import static io.personalize.core.features.Events.opened;
import static io.personalize.core.features.Events.order;
import static io.personalize.core.features.Events.orderLine;
import static io.personalize.core.features.Events.profile;
import static io.personalize.core.features.Events.unsubscribed;
import static io.personalize.core.features.Events.view;
import static io.personalize.core.features.Events.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.core.events.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The same events in any arrival order give the same features. Not compared: the cart (adds and
 * removes do not commute). Returns and a history longer than the windows are in {@link
 * HistoryInAnyOrderTest}.
 */
class OrderInsensitivityTest {
    private static final double TOLERANCE = 1e-9;

    /** Checkpoints after the last event (T0 + 80 d), across every window and lifecycle edge. */
    private static final List<Instant> CHECKPOINTS =
            List.of(
                    T0.plus(days(80)).plus(HOUR),
                    T0.plus(days(82)),
                    T0.plus(days(87)).plus(MINUTE),
                    T0.plus(days(95)),
                    T0.plus(days(110)),
                    T0.plus(days(125)),
                    T0.plus(days(140)),
                    T0.plus(days(170)),
                    T0.plus(days(200)));

    /**
     * About 80 days of one customer's life: orders (lines and completed), browsing, email, profile
     * and consent.
     */
    private static List<Event> history() {
        List<Event> events = new ArrayList<>();
        // orders: lines of one invoice over two minutes, completed orders with and without items
        events.add(orderLine("536365", T0.plus(days(2)), item("p1", "home", 2.55, 6)));
        events.add(orderLine("536365", T0.plus(days(2)), item("p2", "home", 3.39, 2)));
        events.add(orderLine("536365", T0.plus(days(2)).plus(MINUTE), item("p3", "toys", 7.65, 1)));
        events.add(
                with(
                        order("o2", T0.plus(days(20)), item("p4", "shoes", 59.9, 1)),
                        e -> e.country = "DE"));
        events.add(order("o3", T0.plus(days(41)).plus(HOUR), item("p5", "books", 12.5, 2)));
        events.add(order("o4", T0.plus(days(60)), 35.0));
        events.add(orderLine("536999", T0.plus(days(70)), item("p6", "toys", 4.2, 3)));
        events.add(orderLine("536999", T0.plus(days(70)), item("p7", "home", 1.1, 5)));
        events.add(
                with(
                        order("o6", T0.plus(days(79)), item("p8", "shoes", 80.0, 1)),
                        e -> e.country = "FR"));
        // views, several within the same minute, some of the same product
        String[] categories = {"home", "toys", "shoes", "books", "garden"};
        for (int i = 0; i < 40; i++) {
            Instant at =
                    T0.plus(days(74))
                            .plus(HOUR.multipliedBy(i * 3L))
                            .plus(SECOND.multipliedBy(i % 7 * 8L));
            events.add(view("v" + (i % 13), categories[i % 5], at));
            if (i % 4 == 0) {
                events.add(
                        view(
                                "v" + ((i + 1) % 13),
                                categories[(i + 2) % 5],
                                at.plus(SECOND.multipliedBy(20))));
            }
        }
        // email
        for (int i = 0; i < 12; i++) {
            Instant at = T0.plus(days(5L * i + 20));
            events.add(delivered(at));
            if (i % 2 == 0) {
                events.add(opened(at.plus(HOUR)));
                events.add(opened(at.plus(HOUR).plus(SECOND.multipliedBy(30))));
            }
            if (i % 3 == 0) {
                events.add(clicked(at.plus(HOUR).plus(MINUTE)));
            }
        }
        // profile and consent
        events.add(
                profile(
                        T0,
                        p -> {
                            p.birthYear = 1985;
                            p.loyaltyTier = "bronze";
                            p.timezone = "Europe/London";
                        }));
        events.add(profile(T0.plus(days(30)), p -> p.loyaltyTier = "silver"));
        events.add(
                profile(
                        T0.plus(days(65)),
                        p -> {
                            p.birthDate = "1985-09-30";
                            p.loyaltyTier = "gold";
                        }));
        events.add(consent(true, T0.plus(DAY)));
        events.add(unsubscribed(T0.plus(days(50))));
        events.add(consent(true, T0.plus(days(66))));
        events.sort((a, b) -> Long.compare(a.occurredAt, b.occurredAt));
        return events;
    }

    @Test
    void shuffledArrivalGivesTheSameFeaturesAsArrivalInEventTimeOrder() {
        List<Event> inOrder = history();
        List<CustomerFeatures> expected = run(inOrder);

        Random random = new Random(20250303);
        for (int round = 0; round < 25; round++) {
            List<Event> shuffled = new ArrayList<>(inOrder);
            Collections.shuffle(shuffled, random);
            List<CustomerFeatures> actual = run(shuffled);
            for (int i = 0; i < expected.size(); i++) {
                assertSameFeatures(actual.get(i), expected.get(i), "round " + round);
            }
        }
    }

    @Test
    void reversedArrivalGivesTheSameFeaturesAsArrivalInEventTimeOrder() {
        List<Event> inOrder = history();
        List<Event> reversed = new ArrayList<>(inOrder);
        Collections.reverse(reversed);

        List<CustomerFeatures> expected = run(inOrder);
        List<CustomerFeatures> actual = run(reversed);

        for (int i = 0; i < expected.size(); i++) {
            assertSameFeatures(actual.get(i), expected.get(i), "reversed");
        }
    }

    /** Applies the events, then reads the features as of the last event and each checkpoint. */
    private static List<CustomerFeatures> run(List<Event> events) {
        TestCustomer customer = new TestCustomer().apply(events);
        List<CustomerFeatures> snapshots = new ArrayList<>();
        snapshots.add(customer.features());
        for (Instant checkpoint : CHECKPOINTS) {
            snapshots.add(customer.at(checkpoint));
        }
        return snapshots;
    }

    private static void assertSameFeatures(
            CustomerFeatures actual, CustomerFeatures expected, String what) {
        String as = what + " as of " + Instant.ofEpochMilli(expected.asOf);
        assertThat(actual.asOf).as(as).isEqualTo(expected.asOf);
        // purchases
        assertThat(actual.orders7d).as(as + " orders_7d").isEqualTo(expected.orders7d);
        assertThat(actual.orders30d).as(as + " orders_30d").isEqualTo(expected.orders30d);
        assertThat(actual.orders60d).as(as + " orders_60d").isEqualTo(expected.orders60d);
        assertThat(actual.orders90d).as(as + " orders_90d").isEqualTo(expected.orders90d);
        assertThat(actual.lifetimeOrders)
                .as(as + " lifetime_orders")
                .isEqualTo(expected.lifetimeOrders);
        assertThat(actual.revenue30d)
                .as(as + " revenue_30d")
                .isCloseTo(expected.revenue30d, within(TOLERANCE));
        assertThat(actual.revenue90d)
                .as(as + " revenue_90d")
                .isCloseTo(expected.revenue90d, within(TOLERANCE));
        assertThat(actual.lifetimeRevenue)
                .as(as + " lifetime_revenue")
                .isCloseTo(expected.lifetimeRevenue, within(TOLERANCE));
        assertThat(actual.avgOrderValue)
                .as(as + " avg_order_value")
                .isCloseTo(expected.avgOrderValue, within(TOLERANCE));
        assertThat(actual.firstPurchaseAt).as(as).isEqualTo(expected.firstPurchaseAt);
        assertThat(actual.lastPurchaseAt).as(as).isEqualTo(expected.lastPurchaseAt);
        assertThat(actual.daysSinceLastPurchase).as(as).isEqualTo(expected.daysSinceLastPurchase);
        assertThat(actual.lifecycleStage)
                .as(as + " lifecycle_stage")
                .isEqualTo(expected.lifecycleStage);
        // browsing
        assertThat(actual.productViews7d)
                .as(as + " product_views_7d")
                .isEqualTo(expected.productViews7d);
        assertThat(actual.sessions7d).as(as + " sessions_7d").isEqualTo(expected.sessions7d);
        assertThat(actual.recentlyViewedProducts)
                .as(as + " recently_viewed_products")
                .isEqualTo(expected.recentlyViewedProducts);
        // email
        assertThat(actual.emailsDelivered30d).as(as).isEqualTo(expected.emailsDelivered30d);
        assertThat(actual.emailOpens30d)
                .as(as + " email_opens_30d")
                .isEqualTo(expected.emailOpens30d);
        assertThat(actual.emailClicks30d)
                .as(as + " email_clicks_30d")
                .isEqualTo(expected.emailClicks30d);
        assertThat(actual.emailOpenRate30d).as(as).isEqualTo(expected.emailOpenRate30d);
        assertThat(actual.emailClickRate30d).as(as).isEqualTo(expected.emailClickRate30d);
        assertThat(actual.daysSinceLastOpen).as(as).isEqualTo(expected.daysSinceLastOpen);
        assertThat(actual.engagementScore)
                .as(as + " engagement_score")
                .isCloseTo(expected.engagementScore, within(TOLERANCE));
        // affinity
        assertThat(actual.categoryAffinity)
                .as(as)
                .containsOnlyKeys(expected.categoryAffinity.keySet());
        expected.categoryAffinity.forEach(
                (category, share) ->
                        assertThat(actual.categoryAffinity.get(category))
                                .as(as + " affinity of " + category)
                                .isCloseTo(share, within(TOLERANCE)));
        assertThat(actual.topCategories)
                .as(as + " top_categories")
                .isEqualTo(expected.topCategories);
        // profile and consent
        assertThat(actual.age).as(as + " age").isEqualTo(expected.age);
        assertThat(actual.loyaltyTier).as(as + " loyalty_tier").isEqualTo(expected.loyaltyTier);
        assertThat(actual.country).as(as + " country").isEqualTo(expected.country);
        assertThat(actual.timezone).as(as + " timezone").isEqualTo(expected.timezone);
        assertThat(actual.emailConsent).as(as + " email_consent").isEqualTo(expected.emailConsent);
        assertThat(actual.attributeScore)
                .as(as + " attribute_score")
                .isCloseTo(expected.attributeScore, within(TOLERANCE));
    }
}
