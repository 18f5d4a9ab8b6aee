package io.personalize.core.decisions;

import static io.personalize.core.decisions.Customer.at;
import static io.personalize.core.decisions.Customer.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.recommend.ProductInfo;
import io.personalize.core.recommend.Recommendation;
import io.personalize.core.scoring.CustomerScore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionRecordTest {
    private static final long T0 = at("2024-06-03T10:00:00Z");

    private static CustomerScore score(String model, String version, double value) {
        CustomerScore score = new CustomerScore();
        score.model = model;
        score.version = version;
        score.role = CustomerScore.CHAMPION;
        score.score = value;
        return score;
    }

    @Test
    void aDecisionRecordsWhatLedToIt() {
        Customer customer =
                new Customer(
                        PolicySettings.DEFAULTS,
                        TestFlow.abandonedCart()
                                .reads("cart_items", "cart_value", "timezone", "email_consent")
                                .models("purchase_propensity", "churn_risk")
                                .content("hero_cart", "free_shipping"));
        customer.flowsVersion = 7;
        customer.features.topCategories = List.of("kitchen", "garden");
        customer.scores.put("purchase_propensity", score("purchase_propensity", "v3", 0.72));
        customer.scores.put("unread_model", score("unread_model", "v1", 0.1));
        Trigger cart = trigger("cart_abandoned", "cart-1", T0 - 60_000);
        cart.recommendations.add(
                new Recommendation("p1", "Kettle", "kitchen", 29.9, "img", "co_occurrence", 0.9));
        cart.recommendations.add(new Recommendation("p2", null, null, null, null, "popular", 0.4));

        Decision d = customer.fire(T0, cart).get(0);

        assertThat(d.decisionId)
                .isEqualTo(DecisionEngine.decisionId("c:42", "abandoned_cart", "cart-1"));
        assertThat(d.customerKey).isEqualTo("c:42");
        assertThat(d.customerId).isEqualTo("42");
        assertThat(d.flowId).isEqualTo("abandoned_cart");
        assertThat(d.flowsVersion).isEqualTo(7);
        assertThat(d.outcome).isEqualTo(Outcome.TO_SEND.code());
        assertThat(d.reasons).isEmpty();
        assertThat(d.triggerKind).isEqualTo("pattern");
        assertThat(d.triggerName).isEqualTo("cart_abandoned");
        assertThat(d.triggeringId).isEqualTo("cart-1");
        assertThat(d.modelVersions).containsExactly(Map.entry("purchase_propensity", "v3"));
        assertThat(d.scores).containsExactly(Map.entry("purchase_propensity", 0.72));
        assertThat(d.features)
                .containsEntry("cart_items", "2")
                .containsEntry("cart_value", "59.9")
                .containsEntry("email_consent", "true")
                .containsEntry("timezone", null)
                .hasSize(4);
        assertThat(d.endpointId).isEqualTo("esp");
        assertThat(d.templateId).isEqualTo("abandoned_cart_template");
        assertThat(d.contentBlocks).containsExactly("hero_cart", "free_shipping");
        assertThat(d.recommendations).isEqualTo(cart.recommendations);
        assertThat(d.triggeredAt).isEqualTo(T0 - 60_000);
        assertThat(d.decidedAt).isEqualTo(T0);
        assertThat(d.deferredUntil).isNull();
        assertThat(d.processedAt).isEqualTo(Customer.PROCESSING_TIME.toEpochMilli());
    }

    @Test
    void templateVariablesHoldTheCustomerIdCartAndProductsButNoPersonalData() {
        Customer customer = new Customer(PolicySettings.DEFAULTS, TestFlow.abandonedCart());
        customer.features.topCategories = List.of("kitchen", "garden");
        Trigger cart = trigger("cart_abandoned", "cart-1", T0);
        for (int i = 1; i <= 5; i++) {
            cart.recommendations.add(
                    new Recommendation(
                            "p" + i, "Product " + i, "kitchen", 10.0 * i, null, "popular", 1));
        }

        Decision d = customer.fire(T0, cart).get(0);

        assertThat(d.variables)
                .containsEntry("customer_id", "42")
                .containsEntry("cart_items", "2")
                .containsEntry("cart_value", "59.90")
                .containsEntry("top_category", "kitchen")
                .containsEntry("product_1_id", "p1")
                .containsEntry("product_1_name", "Product 1")
                .containsEntry("product_1_price", "10.00")
                .containsEntry("product_4_id", "p4")
                .doesNotContainKey("product_5_id");
        assertThat(d.variables.keySet())
                .noneMatch(key -> key.contains("email") || key.contains("first_name"));
    }

    @Test
    void aBrowseAbandonmentHandsItsTemplateTheBrowsedProductItsPicksAndTheBlocksVariables() {
        Customer customer =
                new Customer(
                        PolicySettings.DEFAULTS,
                        TestFlow.browseAbandoned()
                                .content("browsed_products", "recommendations", "offer")
                                .contentVariables(Map.of("offer.discount_code", "SAVE5")));
        Trigger browse = trigger("browse_abandoned", "browse/p3/1", T0);
        browse.productIds.add("p3");
        browse.products.add(
                new ProductInfo("p3", "Kettle", "kitchen", 29.9, "https://img/p3.jpg", null));
        for (int i = 1; i <= 3; i++) {
            browse.recommendations.add(
                    new Recommendation(
                            "p" + (10 + i),
                            "Mug " + i,
                            "kitchen",
                            5.0 * i,
                            "https://img/m" + i,
                            "co_occurrence",
                            1));
        }

        Decision d = customer.fire(T0, browse).get(0);

        assertThat(d.recommendations).isEqualTo(browse.recommendations);
        assertThat(d.variables)
                .containsEntry("browsed_product_id", "p3")
                .containsEntry("browsed_product_name", "Kettle")
                .containsEntry("browsed_product_category", "kitchen")
                .containsEntry("browsed_product_price", "29.90")
                .containsEntry("browsed_product_image_url", "https://img/p3.jpg")
                .containsEntry("product_3_id", "p13")
                .containsEntry("product_3_price", "15.00")
                .containsEntry("product_3_image_url", "https://img/m3")
                .containsEntry("offer.discount_code", "SAVE5");
    }

    @Test
    void onlyABrowseAbandonmentNamesABrowsedProduct() {
        Customer customer = new Customer(PolicySettings.DEFAULTS, TestFlow.abandonedCart());
        Trigger cart = trigger("cart_abandoned", "cart-1", T0);
        cart.products.add(new ProductInfo("p3", "Kettle", null, null, null, null));

        Decision d = customer.fire(T0, cart).get(0);

        assertThat(d.variables.keySet()).noneMatch(k -> k.startsWith("browsed_product_"));
    }

    @Test
    void aDeferredDecisionSaysUntilWhen() {
        Customer customer = new Customer(PolicySettings.DEFAULTS, TestFlow.abandonedCart());

        Decision d = customer.fire("cart_abandoned", "cart-1", at("2024-06-03T22:00:00Z")).get(0);

        assertThat(d.outcome).isEqualTo(Outcome.DEFERRED.code());
        assertThat(d.deferredUntil).isEqualTo(at("2024-06-04T08:00:00Z"));
        assertThat(d.decidedAt).isEqualTo(at("2024-06-03T22:00:00Z"));
    }

    @Test
    void reasonsNameTheirCodeBeforeTheDetail() {
        assertThat(Reasons.code("frequency_cap: 1 per 16h")).isEqualTo("frequency_cap");
        assertThat(Reasons.code("flow_removed")).isEqualTo("flow_removed");
        assertThat(Reasons.code("condition_failed: a: b")).isEqualTo("condition_failed");
    }

    @Test
    void durationsAreWrittenInTheLargestUnitThatDividesThem() {
        assertThat(Reasons.duration(Duration.ofHours(16))).isEqualTo("16h");
        assertThat(Reasons.duration(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(Reasons.duration(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Reasons.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Reasons.duration(Duration.ZERO)).isEqualTo("0ms");
    }
}
