package io.personalize.job.features;

import static io.personalize.core.testing.Times.DAY;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent, deliberately plain computation of some features from one customer's events: a
 * loop over the events up to {@code asOf}, no state object, no engine. Tests compare the job's rows
 * with it.
 */
final class PlainFeatures {

    long orders7d;
    long orders30d;
    long orders60d;
    long orders90d;
    long lifetimeOrders;
    double revenue30d;
    double revenue90d;
    double lifetimeRevenue;
    Long firstPurchaseAt;
    Long lastPurchaseAt;

    /** The latest order that is not cancelled; null when none. */
    Long lastOrderAt;

    boolean anyCancelled;
    long viewsExact7d;
    long viewsWithinAMinuteBefore7d;
    long emailsDelivered30d;
    long emailOpens30d;
    String emailConsent = "unknown";
    String lifecycleStage;

    /** {@code events}: the customer's distinct events, any order. */
    static PlainFeatures compute(List<Event> events, long asOf) {
        List<Event> sorted =
                events.stream()
                        .filter(e -> e.occurredAt <= asOf)
                        .sorted((a, b) -> Long.compare(a.occurredAt, b.occurredAt))
                        .toList();
        PlainFeatures p = new PlainFeatures();
        Map<String, long[]> orderTimes = new LinkedHashMap<>();
        Map<String, double[]> orderAmounts = new LinkedHashMap<>();
        Map<String, boolean[]> cancelled = new LinkedHashMap<>();
        java.util.Set<String> purchased = new java.util.HashSet<>();
        java.util.Set<String> completed = new java.util.HashSet<>();
        java.util.Set<String> cancellationSeen = new java.util.HashSet<>();
        Map<String, Double> takenBack = new java.util.HashMap<>();
        List<Object[]> adjustments = new java.util.ArrayList<>();
        long consentAt = Long.MIN_VALUE;
        for (Event e : sorted) {
            long age = asOf - e.occurredAt;
            switch (e.eventType) {
                case ORDER_COMPLETED, ORDER_LINE -> {
                    double amount = e.orderTotal == null ? 0 : e.orderTotal;
                    String id = orderId(e.orderId);
                    if (!orderTimes.containsKey(id)) {
                        orderTimes.put(id, new long[] {e.occurredAt});
                        orderAmounts.put(id, new double[] {-takenBack.getOrDefault(id, 0.0)});
                        cancelled.put(id, new boolean[] {false});
                    }
                    orderTimes.get(id)[0] = Math.min(orderTimes.get(id)[0], e.occurredAt);
                    boolean repeated =
                            e.eventType == EventType.ORDER_COMPLETED && !completed.add(id);
                    if (!repeated) {
                        orderAmounts.get(id)[0] += amount;
                        p.lifetimeRevenue += amount;
                    }
                    purchased.add(id);
                    p.firstPurchaseAt =
                            p.firstPurchaseAt == null ? e.occurredAt : p.firstPurchaseAt;
                    p.lastPurchaseAt = e.occurredAt;
                }
                case ORDER_CANCELLED, ORDER_REFUNDED -> {
                    double amount = e.orderTotal == null ? 0 : e.orderTotal;
                    String id = orderId(e.orderId);
                    p.lifetimeRevenue -= amount;
                    takenBack.merge(id, amount, Double::sum);
                    if (e.eventType == EventType.ORDER_CANCELLED) {
                        cancellationSeen.add(id);
                    }
                    if (orderTimes.containsKey(id)) {
                        orderAmounts.get(id)[0] -= amount;
                    } else {
                        // no order (yet): at its own time, unless the order comes later
                        adjustments.add(new Object[] {id, e.occurredAt, amount});
                    }
                }
                case PRODUCT_VIEW -> {
                    if (age <= 7 * DAY) {
                        p.viewsExact7d++;
                    } else if (age <= 7 * DAY + 60_000) {
                        p.viewsWithinAMinuteBefore7d++;
                    }
                }
                case EMAIL_DELIVERED -> p.emailsDelivered30d += age <= 30 * DAY ? 1 : 0;
                case EMAIL_OPENED -> p.emailOpens30d += age <= 30 * DAY ? 1 : 0;
                case CONSENT_CHANGED -> {
                    if ("email".equals(e.consentChannel) && e.occurredAt >= consentAt) {
                        p.emailConsent = e.consentGranted.toString();
                        consentAt = e.occurredAt;
                    }
                }
                case EMAIL_UNSUBSCRIBED, EMAIL_COMPLAINED -> {
                    if (e.occurredAt >= consentAt) {
                        p.emailConsent = "false";
                        consentAt = e.occurredAt;
                    }
                }
                default -> {}
            }
        }
        for (String id : orderTimes.keySet()) {
            // cancelled: a cancellation seen and nothing (or less) left of the order
            cancelled.get(id)[0] = cancellationSeen.contains(id) && orderAmounts.get(id)[0] <= 1e-9;
            p.lifetimeOrders += cancelled.get(id)[0] ? 0 : 1;
        }
        double adjustments30 = 0;
        double adjustments90 = 0;
        for (Object[] adjustment : adjustments) {
            if (!purchased.contains((String) adjustment[0])) {
                long age = asOf - (Long) adjustment[1];
                adjustments30 -= age <= 30 * DAY ? (Double) adjustment[2] : 0;
                adjustments90 -= age <= 90 * DAY ? (Double) adjustment[2] : 0;
            }
        }
        for (String id : orderTimes.keySet()) {
            long age = asOf - orderTimes.get(id)[0];
            double amount = orderAmounts.get(id)[0];
            boolean counted = !cancelled.get(id)[0];
            p.anyCancelled |= !counted;
            if (counted && (p.lastOrderAt == null || orderTimes.get(id)[0] > p.lastOrderAt)) {
                p.lastOrderAt = orderTimes.get(id)[0];
            }
            if (age <= 90 * DAY) {
                p.revenue90d += amount;
                p.orders90d += counted ? 1 : 0;
            }
            if (age <= 60 * DAY) {
                p.orders60d += counted ? 1 : 0;
            }
            if (age <= 30 * DAY) {
                p.revenue30d += amount;
                p.orders30d += counted ? 1 : 0;
            }
            if (age <= 7 * DAY) {
                p.orders7d += counted ? 1 : 0;
            }
        }
        p.revenue30d += adjustments30;
        p.revenue90d += adjustments90;
        p.lifecycleStage = stage(p, asOf);
        return p;
    }

    /** A retail cancellation's C536379 names order 536379. */
    private static String orderId(String id) {
        return id.length() > 1
                        && (id.charAt(0) == 'C' || id.charAt(0) == 'c')
                        && Character.isDigit(id.charAt(1))
                ? id.substring(1)
                : id;
    }

    private static String stage(PlainFeatures p, long asOf) {
        if (p.lastPurchaseAt == null) {
            return "never_purchased";
        }
        long since = asOf - p.lastPurchaseAt;
        if (since > 120 * DAY) {
            return "lapsed";
        }
        if (since > 60 * DAY) {
            return "at_risk";
        }
        return asOf - p.firstPurchaseAt <= 30 * DAY ? "new" : "active";
    }
}
