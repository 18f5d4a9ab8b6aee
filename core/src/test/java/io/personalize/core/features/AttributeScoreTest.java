package io.personalize.core.features;

import static io.personalize.core.features.Events.DAY;
import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.clicked;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.opened;
import static io.personalize.core.features.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeScoreTest {

    @Test
    void theDefaultScoreIsZeroForACustomerWithoutOrdersOrEngagement() {
        CustomerFeatures f = new TestCustomer().apply(Events.view("p1", T0)).features();

        assertThat(f.attributeScore).isZero();
    }

    @Test
    void theDefaultScoreRisesWithEveryOrderAndStaysWithinZeroAndOne() {
        TestCustomer customer = new TestCustomer().apply(opened(T0));
        double previous = customer.features().attributeScore;
        for (int i = 1; i <= 15; i++) {
            customer.apply(order("o" + i, T0.plus(HOUR.multipliedBy(i)), 60.0));
            double score = customer.features().attributeScore;
            assertThat(score).isBetween(0.0, 1.0);
            if (i <= 10) {
                assertThat(score).as("after %d orders", i).isGreaterThan(previous);
            } else {
                assertThat(score).isGreaterThanOrEqualTo(previous);
            }
            previous = score;
        }
    }

    @Test
    void theDefaultScoreIsTheWeightedMeanOfCappedOrdersRevenueAndEngagement() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                order("o1", T0, 250.0),
                                order("o2", T0.plus(DAY), 250.0),
                                clicked(T0.plus(DAY)))
                        .features();

        double engagement = 1 - Math.exp(-0.7);
        assertThat(f.attributeScore)
                .isCloseTo(
                        0.3 * (2 / 10.0) + 0.4 * (500 / 1000.0) + 0.3 * engagement, within(1e-12));
    }

    @Test
    void theDefaultScoreReachesItsCapsButNeverExceedsOne() {
        TestCustomer customer = new TestCustomer();
        for (int i = 0; i < 30; i++) {
            customer.apply(order("o" + i, T0.plus(HOUR.multipliedBy(i)), 500.0));
            customer.apply(clicked(T0.plus(HOUR.multipliedBy(i))));
        }

        assertThat(customer.features().attributeScore).isBetween(0.99, 1.0);
        assertThat(customer.at(T0.plus(days(365))).attributeScore).isBetween(0.0, 1.0);
    }

    @Test
    void withoutWeightsThereIsNoScore() {
        FeatureConfig d = FeatureConfig.defaults();
        FeatureConfig config =
                new FeatureConfig(
                        d.newCustomerWindow(),
                        d.atRiskAfter(),
                        d.lapsedAfter(),
                        d.engagementHalfLife(),
                        d.affinityHalfLife(),
                        d.sessionGap(),
                        Map.of(),
                        Map.of(),
                        FeatureConfig.DEFAULT_ORDER_HORIZON);

        CustomerFeatures f = new TestCustomer(config).apply(order("o1", T0)).features();

        assertThat(f.attributeScore).isNull();
    }

    @Test
    void aNonNumericOrUnknownValueCountsAsZero() {
        FeatureConfig d = FeatureConfig.defaults();
        FeatureConfig config =
                new FeatureConfig(
                        d.newCustomerWindow(),
                        d.atRiskAfter(),
                        d.lapsedAfter(),
                        d.engagementHalfLife(),
                        d.affinityHalfLife(),
                        d.sessionGap(),
                        Map.of("orders_30d", 1.0, "avg_order_value", 1.0),
                        Map.of("orders_30d", 4.0, "avg_order_value", 100.0),
                        FeatureConfig.DEFAULT_ORDER_HORIZON);

        CustomerFeatures f = new TestCustomer(config).apply(Events.view("p1", T0)).features();

        assertThat(f.attributeScore).isZero();
    }
}
