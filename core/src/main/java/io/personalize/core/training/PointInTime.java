package io.personalize.core.training;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Point-in-time training rows: for each customer and snapshot time {@code t}, the features as of
 * {@code t} computed by the job's own {@link FeatureEngine} from the customer's events up to and
 * including {@code t} only, and what happened after {@code t} (the labels), from the events in
 * {@code (t, t + horizon]}.
 */
public final class PointInTime {
    public static final Duration PURCHASE_HORIZON = Duration.ofDays(30);
    public static final Duration CHURN_HORIZON = Duration.ofDays(60);
    public static final Duration VALUE_HORIZON = Duration.ofDays(90);

    /** What happened after the snapshot time. */
    public record Outcome(int orders30d, int orders60d, double netRevenue90d) {}

    /** One customer at one time: features as of {@code asOf}, outcome after it. */
    public record Snapshot(
            String customerKey, long asOf, CustomerFeatures features, Outcome outcome) {}

    private PointInTime() {}

    /**
     * The snapshots of every customer that had at least one event at or before the snapshot time,
     * ordered by customer key then time.
     *
     * @param times snapshot times (epoch ms); each plus {@link #VALUE_HORIZON} must lie within the
     *     data
     */
    public static List<Snapshot> snapshots(
            Map<String, List<Event>> byCustomer, List<Long> times, FeatureConfig config) {
        FeatureEngine engine = new FeatureEngine(config);
        List<Long> sortedTimes = new ArrayList<>(new TreeSet<>(times));
        List<Snapshot> out = new ArrayList<>();
        for (Map.Entry<String, List<Event>> entry : byCustomer.entrySet()) {
            out.addAll(snapshots(engine, entry.getKey(), entry.getValue(), sortedTimes));
        }
        return out;
    }

    /**
     * One customer's snapshots. Net revenue after {@code t} is the change of the engine's own
     * lifetime revenue from {@code t} to {@code t + 90 d}: orders less cancellations and refunds
     * booked in that window, as the revenue features count them.
     */
    static List<Snapshot> snapshots(
            FeatureEngine engine, String key, List<Event> events, List<Long> times) {
        // One pass over the events; the state is read at every snapshot time and at every
        // snapshot time + 90 d (for the revenue label), in time order.
        TreeSet<Long> checkpoints = new TreeSet<>(times);
        for (long t : times) {
            checkpoints.add(t + VALUE_HORIZON.toMillis());
        }
        CustomerState state = new CustomerState();
        Map<Long, CustomerFeatures> features = new HashMap<>();
        Map<Long, Double> lifetimeRevenue = new HashMap<>();
        int next = 0;
        int applied = 0;
        for (long checkpoint : checkpoints) {
            while (next < events.size() && events.get(next).occurredAt <= checkpoint) {
                engine.apply(state, events.get(next++));
                applied++;
            }
            if (applied == 0) {
                continue; // the customer is not known yet
            }
            engine.advanceTo(state, checkpoint);
            lifetimeRevenue.put(checkpoint, state.lifetimeRevenueMicros / 1_000_000.0);
            if (times.contains(checkpoint)) {
                features.put(checkpoint, engine.snapshot(state, key, checkpoint));
            }
        }
        List<Snapshot> out = new ArrayList<>();
        for (long t : times) {
            CustomerFeatures f = features.get(t);
            if (f == null) {
                continue;
            }
            double revenueAfter =
                    lifetimeRevenue.get(t + VALUE_HORIZON.toMillis()) - lifetimeRevenue.get(t);
            Outcome outcome =
                    new Outcome(
                            ordersBetween(events, t, t + PURCHASE_HORIZON.toMillis()),
                            ordersBetween(events, t, t + CHURN_HORIZON.toMillis()),
                            revenueAfter);
            out.add(new Snapshot(key, t, f, outcome));
        }
        return out;
    }

    /**
     * Distinct new orders (completed orders and order lines, by order id) in {@code (from, to]}: an
     * order with a line at or before {@code from} was already placed then and does not count.
     */
    static int ordersBetween(List<Event> events, long from, long to) {
        Set<String> before = new HashSet<>();
        Set<String> orders = new HashSet<>();
        int withoutId = 0;
        for (Event event : events) {
            if (event.occurredAt > to
                    || (event.eventType != EventType.ORDER_COMPLETED
                            && event.eventType != EventType.ORDER_LINE)) {
                continue;
            }
            if (event.occurredAt <= from) {
                if (event.orderId != null) {
                    before.add(event.orderId);
                }
            } else if (event.orderId == null) {
                withoutId++;
            } else {
                orders.add(event.orderId);
            }
        }
        orders.removeAll(before);
        return orders.size() + withoutId;
    }
}
