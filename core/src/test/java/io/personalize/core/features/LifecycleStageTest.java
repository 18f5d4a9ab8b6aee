package io.personalize.core.features;

import static io.personalize.core.features.Events.MS;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.order;
import static io.personalize.core.features.Events.view;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LifecycleStageTest {

    private static String stage(TestCustomer customer, Instant at) {
        return customer.at(at).lifecycleStage;
    }

    @Test
    void aCustomerWithoutPurchasesHasNeverPurchased() {
        TestCustomer customer = new TestCustomer().apply(view("p1", T0));

        assertThat(customer.features().lifecycleStage).isEqualTo("never_purchased");
        assertThat(customer.at(T0.plus(days(365))).lifecycleStage).isEqualTo("never_purchased");
        assertThat(customer.nextChangeAt()).isEmpty();
    }

    @Test
    void aCustomerIsNewUntilExactlyThirtyDaysAfterTheFirstPurchase() {
        TestCustomer customer =
                new TestCustomer().apply(order("o1", T0), order("o2", T0.plus(days(20))));

        assertThat(stage(customer, T0.plus(days(30)))).isEqualTo("new");
        assertThat(stage(customer, T0.plus(days(30)).plus(MS))).isEqualTo("active");
    }

    @Test
    void aCustomerIsActiveUntilExactlySixtyDaysWithoutPurchaseThenAtRisk() {
        TestCustomer customer =
                new TestCustomer().apply(order("o1", T0), order("o2", T0.plus(days(20))));
        Instant last = T0.plus(days(20));

        assertThat(stage(customer, last.plus(days(60)))).isEqualTo("active");
        assertThat(stage(customer, last.plus(days(60)).plus(MS))).isEqualTo("at_risk");
    }

    @Test
    void aCustomerIsAtRiskUntilExactlyOneHundredTwentyDaysWithoutPurchaseThenLapsed() {
        TestCustomer customer = new TestCustomer().apply(order("o1", T0));

        assertThat(stage(customer, T0.plus(days(120)))).isEqualTo("at_risk");
        assertThat(customer.nextChangeAt()).contains(T0.plus(days(120)).plus(MS));
        assertThat(stage(customer, T0.plus(days(120)).plus(MS))).isEqualTo("lapsed");
        assertThat(customer.nextChangeAt()).isEmpty();
        assertThat(stage(customer, T0.plus(days(3650)))).isEqualTo("lapsed");
    }

    @Test
    void aNewPurchaseBringsALapsedCustomerBackAsActiveNotNew() {
        TestCustomer customer = new TestCustomer().apply(order("o1", T0));
        assertThat(stage(customer, T0.plus(days(200)))).isEqualTo("lapsed");

        customer.apply(order("o2", T0.plus(days(200))));

        assertThat(customer.features().lifecycleStage).isEqualTo("active");
        assertThat(customer.nextChangeAt()).contains(T0.plus(days(207)).plus(MS));
    }

    @Test
    void aLateOlderOrderDoesNotMakeTheCustomerNewAgainNorMoveTheLastPurchase() {
        TestCustomer customer =
                new TestCustomer().apply(order("o2", T0.plus(days(50))), order("o1", T0));

        CustomerFeatures f = customer.features();

        assertThat(f.lifecycleStage).isEqualTo("active");
        assertThat(f.firstPurchaseAt).isEqualTo(T0.toEpochMilli());
        assertThat(f.lastPurchaseAt).isEqualTo(T0.plus(days(50)).toEpochMilli());
        assertThat(f.daysSinceLastPurchase).isZero();
    }

    @Test
    void nextChangeAtFollowsConfiguredThresholdsThatDoNotCoincideWithTheWindows() {
        FeatureConfig defaults = FeatureConfig.defaults();
        FeatureConfig config =
                new FeatureConfig(
                        days(10),
                        days(45),
                        days(100),
                        defaults.engagementHalfLife(),
                        defaults.affinityHalfLife(),
                        defaults.sessionGap(),
                        Map.of(),
                        Map.of(),
                        FeatureConfig.DEFAULT_ORDER_HORIZON);
        TestCustomer customer = new TestCustomer(config).apply(order("o1", T0));

        List<Instant> changes = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        for (Optional<Instant> next = customer.nextChangeAt();
                next.isPresent();
                next = customer.nextChangeAt()) {
            changes.add(next.get());
            stages.add(customer.at(next.get()).lifecycleStage);
        }

        assertThat(changes).containsExactly(at(7), at(10), at(30), at(45), at(60), at(90), at(100));
        assertThat(stages)
                .containsExactly(
                        "new", "active", "active", "at_risk", "at_risk", "at_risk", "lapsed");
    }

    private static Instant at(int days) {
        return T0.plus(Duration.ofDays(days)).plus(MS);
    }

    @Test
    void daysSinceLastPurchaseCountsWholeDays() {
        TestCustomer customer = new TestCustomer().apply(order("o1", T0));

        assertThat(customer.at(T0.plus(days(3)).minus(MS)).daysSinceLastPurchase).isEqualTo(2);
        assertThat(customer.at(T0.plus(days(3))).daysSinceLastPurchase).isEqualTo(3);
    }
}
