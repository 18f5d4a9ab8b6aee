package io.personalize.core.training;

import static io.personalize.core.testing.Events.order;
import static io.personalize.core.testing.Events.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.training.PointInTime.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Features come from events up to the snapshot time only, labels from events after it. */
class PointInTimeTest {
    static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

    static long day(int n) {
        return T0 + Duration.ofDays(n).toMillis();
    }

    /** An event of an order, e.g. one line of a transaction export. */
    static Event event(EventType type, long at, String orderId, Double total) {
        Event e = new Event();
        e.eventId = type + "-" + at + "-" + orderId;
        e.eventType = type;
        e.occurredAt = at;
        e.customerId = "c1";
        e.orderId = orderId;
        e.orderTotal = total;
        e.items = List.of();
        return e;
    }

    @Test
    void featuresSeeOnlyEventsUpToTheSnapshotAndOutcomesOnlyEventsAfterIt() {
        long t = day(60);
        List<Event> events = new ArrayList<>();
        events.add(order("o1", day(10), 20.0));
        events.add(order("o2", t, 30.0)); // at t: a feature, not an outcome
        events.add(order("o3", day(70), 50.0)); // within 30 d
        events.add(order("o4", day(100), 70.0)); // within 60 d
        events.add(refund("o3", day(110), 10.0));
        events.add(order("o5", day(140), 100.0)); // within 90 d
        events.add(order("o6", day(200), 1000.0)); // after every window
        Map<String, List<Event>> byCustomer = new TreeMap<>(Map.of("c:c1", events));

        List<Snapshot> snapshots =
                PointInTime.snapshots(byCustomer, List.of(t), FeatureConfig.defaults());

        assertThat(snapshots).hasSize(1);
        Snapshot s = snapshots.get(0);
        assertThat(s.asOf()).isEqualTo(t);
        assertThat(s.features().lifetimeOrders).isEqualTo(2);
        assertThat(s.features().lifetimeRevenue).isCloseTo(50.0, within(1e-9));
        assertThat(s.features().daysSinceLastPurchase).isZero();
        assertThat(s.outcome().orders30d()).isEqualTo(1);
        assertThat(s.outcome().orders60d()).isEqualTo(2);
        assertThat(s.outcome().netRevenue90d()).isCloseTo(50 + 70 - 10 + 100, within(1e-9));
    }

    @Test
    void aCustomerWithoutEventsBeforeTheSnapshotHasNoRow() {
        Map<String, List<Event>> byCustomer =
                new TreeMap<>(Map.of("c:c1", List.of(order("o1", day(70), 10.0))));
        assertThat(PointInTime.snapshots(byCustomer, List.of(day(60)), FeatureConfig.defaults()))
                .isEmpty();
    }

    @Test
    void anOrderAlreadyStartedBeforeTheSnapshotIsNotANewOrderAfterIt() {
        List<Event> events =
                List.of(
                        event(EventType.ORDER_LINE, day(59), "o1", 5.0),
                        event(EventType.ORDER_LINE, day(61), "o1", 5.0),
                        event(EventType.ORDER_LINE, day(62), "o2", 5.0));
        assertThat(PointInTime.ordersBetween(events, day(60), day(90))).isEqualTo(1);
    }
}
