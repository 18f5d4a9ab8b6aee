package io.personalize.core.features;

import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.MINUTE;
import static io.personalize.core.features.Events.SECOND;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.cancellation;
import static io.personalize.core.features.Events.clicked;
import static io.personalize.core.features.Events.consent;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.delivered;
import static io.personalize.core.features.Events.inSession;
import static io.personalize.core.features.Events.item;
import static io.personalize.core.features.Events.opened;
import static io.personalize.core.features.Events.order;
import static io.personalize.core.features.Events.orderLine;
import static io.personalize.core.features.Events.pageView;
import static io.personalize.core.features.Events.profile;
import static io.personalize.core.features.Events.refund;
import static io.personalize.core.features.Events.unsubscribed;
import static io.personalize.core.features.Events.view;
import static io.personalize.core.features.Events.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seven months of one customer's history applied in file order (one invoice line 100+ days of
 * events after its siblings), sorted, reversed and shuffled (fixed seed) give the same value of
 * every registry feature, as of the last event and at later checkpoints. The open cart is the one
 * exception the README states: cart adds and removals do not commute, so the history has none.
 */
class HistoryInAnyOrderTest {
    /** Decayed sums: equal up to floating-point rounding, not bit for bit. */
    private static final Set<String> DECAYED =
            Set.of("engagement_score", "category_affinity", "attribute_score");

    private static final Set<String> CART = Set.of("cart_items", "cart_value", "cart_product_ids");

    private static final Instant FIRST_LINES = T0.plus(days(5));

    /** The third line of invoice 536365, placed in the file after the events of day 150. */
    private static final Event LATE_LINE =
            orderLine("536365", FIRST_LINES, item("p3", "toys", 7.65, 1));

    private static final List<Instant> CHECKPOINTS =
            List.of(
                    T0.plus(days(201)),
                    T0.plus(days(210)),
                    T0.plus(days(230)),
                    T0.plus(days(260)),
                    T0.plus(days(300)),
                    T0.plus(days(330)));

    @Test
    void fileSortedReversedAndShuffledHistoriesGiveTheSameFeatures() {
        List<Event> file = fileOrder();
        List<Event> sorted = new ArrayList<>(file);
        sorted.sort(Comparator.comparingLong(e -> e.occurredAt));
        List<Event> reversed = new ArrayList<>(sorted);
        Collections.reverse(reversed);
        List<Event> shuffled = new ArrayList<>(file);
        Collections.shuffle(shuffled, new Random(20250303L));

        List<CustomerFeatures> expected = run(sorted);
        for (Map.Entry<String, List<Event>> order :
                Map.of("file", file, "reversed", reversed, "shuffled", shuffled).entrySet()) {
            List<CustomerFeatures> actual = run(order.getValue());
            for (int i = 0; i < expected.size(); i++) {
                assertSameFeatures(actual.get(i), expected.get(i), order.getKey());
            }
        }
    }

    @Test
    void theFileHasALineOfAnInvoiceMoreThanHundredDaysOfEventsAfterItsOtherLines() {
        List<Event> file = fileOrder();
        int first = indexOf(file, "536365");
        int late = file.indexOf(LATE_LINE);
        long latestBetween =
                file.subList(first, late).stream().mapToLong(e -> e.occurredAt).max().orElseThrow();

        assertThat(latestBetween - LATE_LINE.occurredAt).isGreaterThan(days(100).toMillis());
    }

    @Test
    void countsAndSignedRevenueMatchTheInvoicesWhateverTheOrder() {
        List<Event> shuffled = new ArrayList<>(fileOrder());
        Collections.shuffle(shuffled, new Random(7L));

        CustomerFeatures f = new TestCustomer().apply(shuffled).features();

        // 536365, o2, o3, 537000, o4; 536400 is cancelled line by line; C999001/2 match nothing
        assertThat(f.lifetimeOrders).isEqualTo(5);
        double in = 15.3 + 6.78 + 7.65 + 59.9 + 1.7 + 1.25 + 35.0 + 12.6 + 80.0;
        double out = 1.7 + 1.25 + 50.0 + 4.2 + 120.0 + 100.0;
        assertThat(f.lifetimeRevenue).isCloseTo(in - out, within(1e-9)).isNegative();
        assertThat(f.avgOrderValue).isCloseTo((in - out) / 5, within(1e-9));
        assertThat(f.loyaltyTier).isEqualTo("silver"); // two updates at one instant: the greater
        assertThat(f.emailConsent).isEqualTo("false"); // grant and unsubscribe at one instant
    }

    /** The history in time order, then the late line moved after the events of day 150. */
    private static List<Event> fileOrder() {
        List<Event> file = history();
        file.sort(Comparator.comparingLong(e -> e.occurredAt));
        int afterDay150 = 0;
        while (file.get(afterDay150).occurredAt <= T0.plus(days(150)).toEpochMilli()) {
            afterDay150++;
        }
        file.add(afterDay150, LATE_LINE);
        return file;
    }

    private static List<Event> history() {
        List<Event> events = new ArrayList<>();
        // invoice 536365: two lines here, the third is LATE_LINE
        events.add(orderLine("536365", FIRST_LINES, item("p1", "home", 2.55, 6)));
        events.add(orderLine("536365", FIRST_LINES, item("p2", "home", 3.39, 2)));
        events.add(
                with(
                        order("o2", T0.plus(days(20)), item("p4", "shoes", 59.9, 1)),
                        e -> e.country = "DE"));
        // invoice 536400, cancelled line by line
        events.add(orderLine("536400", T0.plus(days(60)), item("p1", "home", 0.85, 2)));
        events.add(orderLine("536400", T0.plus(days(60)), item("p2", "home", 1.25, 1)));
        events.add(cancellation("C536400", T0.plus(days(61)), 2 * 0.85));
        events.add(cancellation("C536400", T0.plus(days(61)), 1.25));
        // o3 refunded more than it cost
        events.add(order("o3", T0.plus(days(90)), 35.0));
        events.add(refund("o3", T0.plus(days(95)), 50.0));
        // cancellations matching no order
        events.add(cancellation("C999001", T0.plus(days(100)), 120.0));
        events.add(cancellation("C999002", T0.plus(days(190)), 100.0));
        // 537000 partly cancelled
        events.add(orderLine("537000", T0.plus(days(150)), item("p6", "toys", 4.2, 3)));
        events.add(cancellation("C537000", T0.plus(days(150)).plus(HOUR), 4.2));
        events.add(
                with(
                        order("o4", T0.plus(days(185)), item("p8", "shoes", 80.0, 1)),
                        e -> e.country = "FR"));
        addBrowsing(events);
        addEmail(events);
        // profile and consent, with ties at one instant
        events.add(profile(T0, p -> p.birthYear = 1985));
        events.add(profile(T0.plus(days(100)), p -> p.loyaltyTier = "gold"));
        events.add(profile(T0.plus(days(100)), p -> p.loyaltyTier = "silver"));
        events.add(profile(T0.plus(days(140)), p -> p.timezone = "Europe/London"));
        events.add(consent(true, T0.plus(days(1))));
        events.add(consent(true, T0.plus(days(180))));
        events.add(unsubscribed(T0.plus(days(180))));
        return events;
    }

    /**
     * 60 distinct products viewed in the last week (some at one instant), sessions with and without
     * ids.
     */
    private static void addBrowsing(List<Event> events) {
        String[] categories = {"home", "toys", "shoes", "books", "garden"};
        Instant week = T0.plus(days(193));
        for (int i = 0; i < 60; i++) {
            Instant at = week.plus(HOUR.multipliedBy(2L * (i / 2))); // pairs at one instant
            events.add(view("v" + i, categories[i % 5], at));
        }
        for (int i = 0; i < 12; i++) { // without session ids: gaps of 20 and 50 minutes
            Instant at =
                    week.plus(days(i / 3))
                            .plus(MINUTE.multipliedBy(i % 3 == 2 ? 70 : 20L * (i % 3)));
            events.add(pageView(at));
        }
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plus(days(195 + i)).plus(HOUR.multipliedBy(20));
            events.add(inSession("s" + i, pageView(at)));
            events.add(inSession("s" + i, Events.event(EventType.SEARCH, at.plus(SECOND))));
        }
    }

    private static void addEmail(List<Event> events) {
        for (int i = 0; i < 12; i++) {
            Instant at = T0.plus(days(5L * i + 140));
            events.add(delivered(at));
            if (i % 2 == 0) {
                events.add(opened(at.plus(HOUR)));
            }
            if (i % 3 == 0) {
                events.add(clicked(at.plus(HOUR).plus(MINUTE)));
            }
        }
    }

    private static int indexOf(List<Event> events, String orderId) {
        for (int i = 0; i < events.size(); i++) {
            if (orderId.equals(events.get(i).orderId)) {
                return i;
            }
        }
        throw new IllegalArgumentException(orderId);
    }

    /** The features as of the last event and at each checkpoint. */
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
            CustomerFeatures actual, CustomerFeatures expected, String order) {
        String as = order + " as of " + Instant.ofEpochMilli(expected.asOf);
        assertThat(actual.asOf).as(as).isEqualTo(expected.asOf);
        for (FeatureDefinition feature : FeatureRegistry.standard().all()) {
            String name = feature.name();
            if (CART.contains(name)) {
                continue;
            }
            Object value = FeatureRegistry.standard().value(name, actual);
            Object wanted = FeatureRegistry.standard().value(name, expected);
            if (!DECAYED.contains(name)) {
                assertThat(value).as(as + " " + name).isEqualTo(wanted);
            } else if (wanted instanceof Double number) {
                assertThat((Double) value).as(as + " " + name).isCloseTo(number, within(1e-12));
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Double> shares = (Map<String, Double>) wanted;
                assertThat((Map<?, ?>) value).as(as + " " + name).hasSameSizeAs(shares);
                shares.forEach(
                        (category, share) ->
                                assertThat(((Map<?, ?>) value).get(category))
                                        .as(as + " " + name + " " + category)
                                        .isInstanceOfSatisfying(
                                                Double.class,
                                                v ->
                                                        assertThat(v)
                                                                .isCloseTo(share, within(1e-12))));
            }
        }
    }
}
