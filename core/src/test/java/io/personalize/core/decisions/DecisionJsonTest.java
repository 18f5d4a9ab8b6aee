package io.personalize.core.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.recommend.Recommendation;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionJsonTest {

    @Test
    void writesSnakeCaseFieldsAndReadsBackTheSameDecision() {
        Decision d = new Decision();
        d.decisionId = "0123456789abcdef0123456789abcdef";
        d.customerKey = "c:42";
        d.customerId = "42";
        d.flowId = "abandoned_cart";
        d.outcome = Outcome.DEFERRED.code();
        d.reasons = List.of("quiet_hours: 21:00-08:00 UTC");
        d.features.put("cart_items", "2");
        d.recommendations.add(
                new Recommendation("p1", "Mug", "kitchen", 9.5, null, Recommendation.POPULAR, 1.0));
        d.triggeredAt = 1_000L;
        d.decidedAt = 2_000L;
        d.deferredUntil = 30_000L;

        String json = DecisionJson.write(d);
        Decision back = DecisionJson.read(json);

        assertThat(json)
                .contains("\"decision_id\":\"0123456789abcdef0123456789abcdef\"")
                .contains("\"customer_key\":\"c:42\"")
                .contains("\"outcome\":\"deferred\"")
                .contains("\"deferred_until\":30000")
                .contains("\"product_id\":\"p1\"")
                .doesNotContain("decisionId");
        assertThat(back).isEqualTo(d);
        assertThat(back.features).isEqualTo(d.features);
        assertThat(back.recommendations).isEqualTo(d.recommendations);
    }
}
