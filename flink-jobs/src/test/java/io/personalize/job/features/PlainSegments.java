package io.personalize.job.features;

import static io.personalize.core.testing.Times.DAY;

import java.util.Set;
import java.util.TreeSet;

/**
 * The bundled default segments that plain features decide, written out in plain Java (no CEL), as a
 * check on the rule language and its wiring.
 */
final class PlainSegments {

    static final Set<String> DECIDABLE =
            Set.of(
                    "frequent_buyers",
                    "recent_buyers",
                    "lapsed_customers",
                    "high_value_unengaged",
                    "recent_or_frequent",
                    "recent_not_frequent");

    private PlainSegments() {}

    static Set<String> of(PlainFeatures p, long asOf) {
        Set<String> in = new TreeSet<>();
        boolean frequent = p.orders30d > 3;
        boolean recent =
                p.lifetimeOrders > 0
                        && p.lastPurchaseAt != null
                        && Math.floorDiv(asOf - p.lastPurchaseAt, DAY) <= 7;
        if (frequent) {
            in.add("frequent_buyers");
        }
        if (recent) {
            in.add("recent_buyers");
        }
        if (p.lifetimeOrders > 0 && p.orders60d == 0) {
            in.add("lapsed_customers");
        }
        if (p.revenue30d >= 300.0 && p.emailOpens30d == 0) {
            in.add("high_value_unengaged");
        }
        if (recent || frequent) {
            in.add("recent_or_frequent");
        }
        if (recent && !frequent) {
            in.add("recent_not_frequent");
        }
        return in;
    }
}
