package io.personalize.core.delivery;

import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.Outcome;
import io.personalize.core.recommend.Recommendation;
import java.time.Instant;

/** Decisions to send, as the decision stage records them, for body and template tests. */
final class SentDecisions {
    static final long DECIDED_AT = Instant.parse("2024-06-03T10:00:00Z").toEpochMilli();

    private SentDecisions() {}

    /** A browse abandonment: the browsed product, three picks and a block with a discount code. */
    static Decision browseAbandonment() {
        Decision d = new Decision();
        d.decisionId = "0f7c1d2e-browse";
        d.customerKey = "c:42";
        d.customerId = "42";
        d.flowId = "browse_abandonment";
        d.flowsVersion = 3;
        d.outcome = Outcome.TO_SEND.code();
        d.triggerKind = "pattern";
        d.triggerName = "browse_abandoned";
        d.triggeringId = "browse/p3/1";
        d.endpointId = "esp";
        d.templateId = "tpl_browse_abandonment";
        d.contentBlocks.add(ContentBlocks.BROWSED_PRODUCTS);
        d.contentBlocks.add(ContentBlocks.RECOMMENDATIONS);
        d.contentBlocks.add("offer");
        d.recommendations.add(
                new Recommendation(
                        "p11",
                        "Mug \"Classic\"",
                        "kitchen",
                        5.0,
                        "https://img/p11.jpg",
                        "co_occurrence",
                        2.5));
        d.recommendations.add(
                new Recommendation("p12", "Tea & Co", "kitchen", null, null, "popular", 1.0));
        d.recommendations.add(new Recommendation("p13", "Spoon", null, 2.5, null, "popular", 0.5));
        d.variables.put("customer_id", "42");
        d.variables.put("cart_items", "0");
        d.variables.put("cart_value", "0.00");
        d.variables.put("browsed_product_id", "p3");
        d.variables.put("browsed_product_name", "Kettle </script> 1.7 l");
        d.variables.put("browsed_product_category", "kitchen");
        d.variables.put("browsed_product_price", "29.90");
        d.variables.put("browsed_product_image_url", "https://img/p3.jpg?w=600&h=400");
        d.variables.put("product_1_id", "p11");
        d.variables.put("offer.discount_code", "SAVE5");
        d.triggeredAt = DECIDED_AT - 60_000;
        d.decidedAt = DECIDED_AT;
        return d;
    }
}
