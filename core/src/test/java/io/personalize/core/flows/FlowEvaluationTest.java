package io.personalize.core.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.decisions.Trigger;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped flows and small ones, evaluated against hand-made features and scores. */
class FlowEvaluationTest {
    private static final long T0 = Instant.parse("2025-03-03T10:15:00Z").toEpochMilli();

    private final CompiledFlows defaults = compileDefaults();

    private static CompiledFlows compileDefaults() {
        try {
            return FlowCompiler.standard().compile(FlowDefinitions.defaults());
        } catch (FlowValidationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private Flow flow(String id) {
        return defaults.flow(id).orElseThrow();
    }

    static CustomerFeatures features() {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = "c:42";
        f.customerId = "42";
        f.asOf = T0;
        f.segments = List.of();
        return f;
    }

    static Map<String, CustomerScore> scores(String model, double score) {
        CustomerScore s = new CustomerScore();
        s.customerKey = "c:42";
        s.customerId = "42";
        s.model = model;
        s.version = "1";
        s.role = CustomerScore.CHAMPION;
        s.score = score;
        s.asOf = T0;
        return Map.of(model, s);
    }

    private static Trigger trigger(String kind, String name) {
        return Trigger.of("c:42", "42", kind, name, "t-1", T0);
    }

    private static Flow compileOne(String flowYaml) throws FlowValidationException {
        return FlowCompiler.standard().compile("version: 1\nflows:\n" + flowYaml).flows().get(0);
    }

    @Test
    void patternFlowIsTriggeredByItsPatternOnly() {
        Flow abandonedCart = flow("abandoned_cart");
        assertThat(abandonedCart.triggeredBy(trigger(Trigger.PATTERN, "cart_abandoned"))).isTrue();
        assertThat(abandonedCart.triggeredBy(trigger(Trigger.PATTERN, "cart_reminder_due")))
                .isFalse();
        assertThat(abandonedCart.triggeredBy(trigger(Trigger.SEGMENT_ENTERED, "cart_abandoned")))
                .isFalse();
        assertThat(abandonedCart.triggeredBy(trigger(Trigger.CONDITION, "abandoned_cart")))
                .isFalse();
        assertThat(abandonedCart.triggeredBy(null)).isFalse();
        assertThat(flow("cart_reminder").triggeredBy(trigger(Trigger.PATTERN, "cart_reminder_due")))
                .isTrue();
        assertThat(
                        flow("browse_abandonment")
                                .triggeredBy(trigger(Trigger.PATTERN, "browse_abandoned")))
                .isTrue();
    }

    @Test
    void segmentFlowIsTriggeredByEnteringItsSegmentNotByLeavingItOrAnotherSegment() {
        Flow winBack = flow("win_back");
        assertThat(winBack.triggeredBy(trigger(Trigger.SEGMENT_ENTERED, "lapsed_customers")))
                .isTrue();
        assertThat(winBack.triggeredBy(trigger(Trigger.SEGMENT_EXITED, "lapsed_customers")))
                .isFalse();
        assertThat(winBack.triggeredBy(trigger(Trigger.SEGMENT_ENTERED, "frequent_buyers")))
                .isFalse();
        assertThat(winBack.startsOnCondition()).isFalse();
    }

    @Test
    void segmentExitedFlowIsTriggeredByLeavingTheSegment() throws Exception {
        Flow flow =
                compileOne(
                        """
                          - id: welcome_back
                            trigger: {segment_exited: lapsed_customers}
                            endpoint: esp
                            template: tpl_welcome_back
                        """);
        assertThat(flow.triggeredBy(trigger(Trigger.SEGMENT_EXITED, "lapsed_customers"))).isTrue();
        assertThat(flow.triggeredBy(trigger(Trigger.SEGMENT_ENTERED, "lapsed_customers")))
                .isFalse();
    }

    @Test
    void conditionFlowIsTriggeredByAConditionTriggerNamedAfterItself() {
        Flow loyalty = flow("loyalty_appreciation");
        assertThat(loyalty.startsOnCondition()).isTrue();
        assertThat(loyalty.triggeredBy(trigger(Trigger.CONDITION, "loyalty_appreciation")))
                .isTrue();
        assertThat(loyalty.triggeredBy(trigger(Trigger.CONDITION, "churn_save"))).isFalse();
        assertThat(loyalty.triggeredBy(trigger(Trigger.PATTERN, "loyalty_appreciation"))).isFalse();
        assertThat(defaults.conditionFlows())
                .extracting(Flow::id)
                .containsExactly("churn_save", "loyalty_appreciation");
    }

    @Test
    void triggersPickFlowsHighestPriorityFirst() {
        assertThat(defaults.triggeredBy(trigger(Trigger.PATTERN, "cart_abandoned")))
                .extracting(Flow::id)
                .containsExactly("abandoned_cart");
        assertThat(defaults.triggeredBy(trigger(Trigger.PATTERN, "unknown"))).isEmpty();
    }

    @Test
    void loyaltyConditionNeedsMoreThanTwoOrdersAndHighEngagement() {
        Flow loyalty = flow("loyalty_appreciation");
        CustomerFeatures f = features();
        f.orders30d = 3;
        f.engagementScore = 0.6;
        assertThat(loyalty.triggerConditionHolds(f, Map.of())).isTrue();
        assertThat(loyalty.failedConditions(f, Map.of())).isEmpty();
        f.orders30d = 2;
        assertThat(loyalty.triggerConditionHolds(f, Map.of())).isFalse();
        assertThat(loyalty.failedConditions(f, Map.of()))
                .containsExactly("orders_30d > 2 && engagement_score > 0.5");
        f.orders30d = 5;
        f.engagementScore = 0.4;
        assertThat(loyalty.triggerConditionHolds(f, Map.of())).isFalse();
    }

    @Test
    void churnSaveNeedsAHighChurnScoreAndHighValue() {
        Flow churn = flow("churn_save");
        CustomerFeatures f = features();
        f.lifetimeRevenue = 350.0;
        assertThat(churn.triggerConditionHolds(f, scores("churn_risk", 0.82))).isTrue();
        assertThat(churn.triggerConditionHolds(f, scores("churn_risk", 0.5))).isFalse();
        f.lifetimeRevenue = 150.0;
        assertThat(churn.triggerConditionHolds(f, scores("churn_risk", 0.82))).isFalse();
        assertThat(churn.modelsRead()).containsExactly("churn_risk");
        assertThat(churn.featuresRead()).containsExactly("lifetime_revenue");
        assertThat(churn.reentry()).isEqualTo(Flow.Reentry.ONCE);
    }

    @Test
    void missingScoreDoesNotHoldAndIsReportedAsAFailedCondition() {
        Flow churn = flow("churn_save");
        CustomerFeatures f = features();
        f.lifetimeRevenue = 350.0;
        assertThat(churn.triggerConditionHolds(f, Map.of())).isFalse();
        assertThat(churn.triggerConditionHolds(f, scores("purchase_propensity", 0.9))).isFalse();
        assertThat(churn.triggerConditionHolds(f, null)).isFalse();
        assertThat(churn.failedConditions(f, Map.of()))
                .containsExactly("score('churn_risk') > 0.7 && lifetime_revenue > 200.0");
    }

    @Test
    void missingScoreIsUnknownSoItsNegationDoesNotHoldEither() throws Exception {
        Flow flow =
                compileOne(
                        """
                          - id: f
                            trigger: {pattern: cart_abandoned}
                            conditions:
                              - score('purchase_propensity') < 0.5
                              - "!(score('purchase_propensity') >= 0.5)"
                              - score('purchase_propensity') < 0.5 || cart_value > 10.0
                            endpoint: esp
                            template: t
                        """);
        CustomerFeatures f = features();
        f.cartValue = 50.0;
        assertThat(flow.failedConditions(f, Map.of()))
                .containsExactly(
                        "score('purchase_propensity') < 0.5",
                        "!(score('purchase_propensity') >= 0.5)");
        assertThat(flow.failedConditions(f, scores("purchase_propensity", 0.2))).isEmpty();
    }

    @Test
    void featureWithoutValueOrDefaultDoesNotHold() throws Exception {
        Flow flow =
                compileOne(
                        """
                          - id: f
                            trigger: {pattern: cart_abandoned}
                            conditions: ["age >= 18", "loyalty_tier != 'gold'"]
                            endpoint: esp
                            template: t
                        """);
        CustomerFeatures f = features();
        assertThat(flow.failedConditions(f, Map.of()))
                .containsExactly("age >= 18", "loyalty_tier != 'gold'");
        f.age = 30L;
        f.loyaltyTier = "silver";
        assertThat(flow.failedConditions(f, Map.of())).isEmpty();
        assertThat(flow.featuresRead()).containsExactlyInAnyOrder("age", "loyalty_tier");
    }

    @Test
    void scoreLabelReadsTheChampionLabel() throws Exception {
        Flow flow =
                compileOne(
                        """
                          - id: f
                            trigger: {pattern: cart_abandoned}
                            conditions: ["score_label('customer_clusters').startsWith('2:')"]
                            endpoint: esp
                            template: t
                        """);
        Map<String, CustomerScore> scores = scores("customer_clusters", 2.0);
        assertThat(flow.failedConditions(features(), scores)).hasSize(1); // no label: unknown
        scores.get("customer_clusters").label = "2: high sessions_7d";
        assertThat(flow.failedConditions(features(), scores)).isEmpty();
        assertThat(flow.modelsRead()).containsExactly("customer_clusters");
    }

    @Test
    void cartReminderIsCancelledOnceTheCartIsEmpty() {
        Flow reminder = flow("cart_reminder");
        CustomerFeatures f = features();
        f.cartItems = 2;
        assertThat(reminder.failedConditions(f, Map.of())).isEmpty();
        f.cartItems = 0;
        assertThat(reminder.failedConditions(f, Map.of())).containsExactly("cart_items > 0");
    }

    @Test
    void asOfAndTimeOfDayAreAvailableToFlowRules() throws Exception {
        Flow flow =
                compileOne(
                        """
                          - id: f
                            trigger: {pattern: cart_abandoned}
                            conditions:
                              - as_of.getHours('Europe/Paris') >= 8
                              - as_of - last_purchase_at > duration('48h')
                            endpoint: esp
                            template: t
                        """);
        CustomerFeatures f = features(); // 10:15 UTC, 11:15 in Paris
        f.lastPurchaseAt = T0 - Duration.ofDays(3).toMillis();
        assertThat(flow.failedConditions(f, Map.of())).isEmpty();
        f.lastPurchaseAt = T0 - Duration.ofDays(1).toMillis();
        assertThat(flow.failedConditions(f, Map.of()))
                .containsExactly("as_of - last_purchase_at > duration('48h')");
    }

    @Test
    void frequentBuyersGetTheLoyaltyBannerAndExclusiveDiscountOthersTheLatestProducts() {
        Flow loyalty = flow("loyalty_appreciation");
        CustomerFeatures frequent = features();
        frequent.segments = List.of("frequent_buyers", "recent_buyers");
        assertThat(loyalty.contentBlocks(frequent, Map.of()))
                .containsExactly("loyalty_banner", "exclusive_discount");
        CustomerFeatures other = features();
        other.segments = List.of("recent_buyers");
        assertThat(loyalty.contentBlocks(other, Map.of())).containsExactly("latest_products");
    }

    @Test
    void theExclusiveDiscountCarriesTheDiscountCodeItsRuleSetsAndOnlyWhenChosen() {
        Flow loyalty = flow("loyalty_appreciation");
        CustomerFeatures frequent = features();
        frequent.segments = List.of("frequent_buyers");
        assertThat(loyalty.contentVariables(frequent, Map.of()))
                .containsExactly(Map.entry("exclusive_discount.discount_code", "LOYAL15"));
        CustomerFeatures other = features();
        other.segments = List.of("recent_buyers");
        assertThat(loyalty.contentVariables(other, Map.of())).isEmpty();
    }

    @Test
    void segmentsNotEvaluatedYetCountAsNotInTheSegment() {
        CustomerFeatures f = features();
        f.segments = null;
        assertThat(flow("loyalty_appreciation").contentBlocks(f, Map.of()))
                .containsExactly("latest_products");
    }

    @Test
    void everyApplyingRuleAddsItsBlocksInOrderOnceEach() {
        CustomerFeatures f = features();
        f.cartValue = 120.0;
        assertThat(flow("cart_reminder").contentBlocks(f, Map.of()))
                .containsExactly("free_shipping", "cart_items", "recommendations");
        f.cartValue = 30.0;
        assertThat(flow("cart_reminder").contentBlocks(f, Map.of()))
                .containsExactly("cart_items", "recommendations");
    }

    @Test
    void blockChosenTwiceKeepsItsFirstPlaceAndStopEndsTheList() throws Exception {
        Flow flow =
                compileOne(
                        """
                          - id: f
                            trigger: {pattern: cart_abandoned}
                            endpoint: esp
                            template: t
                            content:
                              - when: cart_value > 10.0
                                blocks: [a, b]
                              - blocks: [b, c]
                              - when: score('purchase_propensity') > 0.5
                                blocks: [d]
                                stop: true
                              - blocks: [e]
                        """);
        CustomerFeatures f = features();
        f.cartValue = 20.0;
        assertThat(flow.contentBlocks(f, scores("purchase_propensity", 0.9)))
                .containsExactly("a", "b", "c", "d");
        assertThat(flow.contentBlocks(f, Map.of())).containsExactly("a", "b", "c", "e");
        f.cartValue = 0.0;
        assertThat(flow.contentBlocks(f, Map.of())).containsExactly("b", "c", "e");
    }

    @Test
    void flowWithoutContentRulesChoosesNoBlocks() throws Exception {
        Flow flow =
                compileOne(
                        """
                          - id: f
                            trigger: {pattern: cart_abandoned}
                            endpoint: esp
                            template: t
                        """);
        assertThat(flow.contentBlocks(features(), Map.of())).isEmpty();
        assertThat(flow.cooldown()).isZero();
        assertThat(flow.reentry()).isEqualTo(Flow.Reentry.AFTER_COOLDOWN);
        assertThat(flow.priority()).isZero();
        assertThat(flow.assign("42")).isEqualTo(Flow.Assignment.NONE);
    }

    @Test
    void defaultFlowsCarryTheirDeliverySettings() {
        Flow reminder = flow("cart_reminder");
        assertThat(reminder.priority()).isEqualTo(70);
        assertThat(reminder.cooldown()).isEqualTo(Duration.ofDays(1));
        assertThat(reminder.endpointId()).isEqualTo("esp");
        assertThat(reminder.templateId()).isEqualTo("tpl_cart_reminder");
        assertThat(flow("loyalty_appreciation").cooldown()).isEqualTo(Duration.ofDays(30));
        assertThat(flow("loyalty_appreciation").featuresRead())
                .containsExactlyInAnyOrder("orders_30d", "engagement_score");
        assertThat(flow("win_back").featuresRead())
                .containsExactlyInAnyOrder("orders_60d", "top_categories");
    }
}
