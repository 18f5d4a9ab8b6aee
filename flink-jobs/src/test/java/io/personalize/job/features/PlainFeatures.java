package io.personalize.job.features;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent, deliberately plain computation of some features from one customer's events: a
 * loop over the events up to {@code asOf}, no state object, no engine. Tests compare the job's rows
 * with it.
 */
final class PlainFeatures {
    static final long DAY = Duration.ofDays(1).toMillis();

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
        double adjustments30 = 0;
        double adjustments90 = 0;
        long consentAt = Long.MIN_VALUE;
        for (Event e : sorted) {
            long age = asOf - e.occurredAt;
            switch (e.eventType) {
                case ORDER_COMPLETED, ORDER_LINE -> {
                    double amount = e.orderTotal == null ? 0 : e.orderTotal;
                    if (!orderTimes.containsKey(e.orderId)) {
                        orderTimes.put(e.orderId, new long[] {e.occurredAt});
                        orderAmounts.put(e.orderId, new double[] {amount});
                        cancelled.put(e.orderId, new boolean[] {false});
                        p.lifetimeOrders++;
                        p.lifetimeRevenue += amount;
                    } else if (e.eventType == EventType.ORDER_LINE) {
                        orderAmounts.get(e.orderId)[0] += amount;
                        p.lifetimeRevenue += amount;
                    }
                    p.firstPurchaseAt =
                            p.firstPurchaseAt == null ? e.occurredAt : p.firstPurchaseAt;
                    p.lastPurchaseAt = e.occurredAt;
                }
                case ORDER_CANCELLED, ORDER_REFUNDED -> {
                    double amount = e.orderTotal == null ? 0 : e.orderTotal;
                    String id =
                            orderTimes.containsKey(e.orderId) ? e.orderId : e.orderId.substring(1);
                    boolean known =
                            orderTimes.containsKey(id)
                                    && e.occurredAt - orderTimes.get(id)[0] <= 90 * DAY;
                    if (!known) {
                        p.lifetimeRevenue = Math.max(0, p.lifetimeRevenue - amount);
                        adjustments30 -= age <= 30 * DAY ? amount : 0;
                        adjustments90 -= age <= 90 * DAY ? amount : 0;
                    } else {
                        double taken = Math.min(amount, orderAmounts.get(id)[0]);
                        orderAmounts.get(id)[0] -= taken;
                        p.lifetimeRevenue = Math.max(0, p.lifetimeRevenue - taken);
                        if (e.eventType == EventType.ORDER_CANCELLED
                                && orderAmounts.get(id)[0] <= 0
                                && !cancelled.get(id)[0]) {
                            cancelled.get(id)[0] = true;
                            p.lifetimeOrders--;
                        }
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
        p.revenue30d = Math.max(0, p.revenue30d + adjustments30);
        p.revenue90d = Math.max(0, p.revenue90d + adjustments90);
        p.lifecycleStage = stage(p, asOf);
        return p;
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
