package io.personalize.job.carts;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.events.LineItem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The README's cart semantics as a plain loop over one customer's events in event-time order,
 * independent of the feature engine and of CEP: the count every lifecycle status should have.
 */
final class PlainCarts {
    private record Activity(long at, boolean purchase, boolean leavesOpenCart, boolean empties) {}

    private final long abandonAfter;
    private final long remindAfter;
    private final long endOfTime;

    /** Not a status: the abandonments that repeat an earlier one of the same episode. */
    static final String REPEAT = "abandoned_repeat";

    /** Per status, and {@link #REPEAT}. */
    final Map<String, Long> counts = new TreeMap<>();

    PlainCarts(long abandonAfter, long remindAfter, long endOfTime) {
        this.abandonAfter = abandonAfter;
        this.remindAfter = remindAfter;
        this.endOfTime = endOfTime;
    }

    void customer(List<Event> events) {
        List<Event> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(e -> e.occurredAt)); // stable: input order on ties
        List<Activity> activity = activity(ordered);
        boolean episodeAbandoned = false;
        for (int i = 0; i < activity.size(); i++) {
            Activity change = activity.get(i);
            if (change.purchase() || change.empties()) {
                episodeAbandoned = false; // the episode ends; the next change starts a new one
            }
            if (!change.leavesOpenCart()) {
                continue;
            }
            long abandonedAt = change.at() + abandonAfter;
            Activity next = i + 1 < activity.size() ? activity.get(i + 1) : null;
            boolean abandoned = next == null ? abandonedAt <= endOfTime : next.at() >= abandonedAt;
            if (next == null && !abandoned) {
                count("pending"); // would be abandoned after the last event: not reported
            }
            if (!abandoned) {
                continue;
            }
            count("abandoned");
            if (episodeAbandoned) {
                count(REPEAT); // back to the still-open cart of an abandoned episode, left again
            }
            episodeAbandoned = true;
            long dueAt = abandonedAt + remindAfter;
            if (next == null ? dueAt <= endOfTime : next.at() >= dueAt) {
                count("reminder_due");
            } else if (next != null && next.purchase()) {
                count("recovered");
            } else if (next != null && next.empties()) {
                count("emptied");
            }
        }
    }

    private void count(String status) {
        counts.merge(status, 1L, Long::sum);
    }

    private static List<Activity> activity(List<Event> events) {
        Map<String, Integer> cart = new HashMap<>();
        List<Activity> activity = new ArrayList<>();
        for (Event e : events) {
            EventType type = e.eventType;
            if (type == EventType.ADD_TO_CART || type == EventType.REMOVE_FROM_CART) {
                LineItem item = e.items.get(0);
                int delta = type == EventType.ADD_TO_CART ? item.quantity : -item.quantity;
                cart.merge(item.productId, delta, Integer::sum);
                cart.values().removeIf(q -> q <= 0);
                activity.add(new Activity(e.occurredAt, false, !cart.isEmpty(), cart.isEmpty()));
            } else if (type == EventType.ORDER_COMPLETED || type == EventType.ORDER_LINE) {
                if (e.items.isEmpty() && type == EventType.ORDER_COMPLETED) {
                    cart.clear();
                }
                e.items.forEach(item -> cart.remove(item.productId));
                activity.add(new Activity(e.occurredAt, true, false, cart.isEmpty()));
            }
        }
        return activity;
    }
}
