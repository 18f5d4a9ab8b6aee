package io.personalize.core.features;

import static io.personalize.core.features.Events.DAY;
import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.MS;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderWindowsTest {

    static Stream<Arguments> orderCounts() {
        return Stream.of(
                arguments("orders_7d", 7),
                arguments("orders_30d", 30),
                arguments("orders_60d", 60),
                arguments("orders_90d", 90));
    }

    static Stream<Arguments> revenueSums() {
        return Stream.of(arguments("revenue_30d", 30), arguments("revenue_90d", 90));
    }

    @ParameterizedTest(name = "{0} counts an order at exactly {1} days and drops it 1 ms later")
    @MethodSource("orderCounts")
    void anOrderCountsAtExactlyTheWindowLengthAndDropsOneMillisecondLater(
            String feature, int windowDays) {
        TestCustomer customer = new TestCustomer().apply(order("o1", T0));
        Instant edge = T0.plus(days(windowDays));

        assertThat(customer.value(feature, edge)).isEqualTo(1L);
        assertThat(customer.nextChangeAt()).contains(edge.plus(MS));
        assertThat(customer.value(feature, edge.plus(MS))).isEqualTo(0L);
    }

    @ParameterizedTest(name = "{0} sums an order at exactly {1} days and drops it 1 ms later")
    @MethodSource("revenueSums")
    void anOrdersRevenueCountsAtExactlyTheWindowLengthAndDropsOneMillisecondLater(
            String feature, int windowDays) {
        TestCustomer customer = new TestCustomer().apply(order("o1", T0, 80.0));
        Instant edge = T0.plus(days(windowDays));

        assertThat(customer.value(feature, edge)).isEqualTo(80.0);
        assertThat(customer.nextChangeAt()).contains(edge.plus(MS));
        assertThat(customer.value(feature, edge.plus(MS))).isEqualTo(0.0);
    }

    @Test
    void anOrderIsCountedInEveryWindowThatContainsIt() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                order("o1", T0, 10.0),
                                order("o2", T0.plus(days(40)), 20.0),
                                order("o3", T0.plus(days(65)), 30.0),
                                order("o4", T0.plus(days(85)), 40.0));

        CustomerFeatures f = customer.at(T0.plus(days(89)));

        assertThat(f.orders7d).isEqualTo(1);
        assertThat(f.orders30d).isEqualTo(2);
        assertThat(f.orders60d).isEqualTo(3);
        assertThat(f.orders90d).isEqualTo(4);
        assertThat(f.revenue30d).isEqualTo(70.0);
        assertThat(f.revenue90d).isEqualTo(100.0);
    }

    @Test
    void nextChangeAtWalksThroughEveryExpiryAndLifecycleThresholdOfOneOrder() {
        TestCustomer customer = new TestCustomer().apply(order("o1", T0));

        List<Instant> changes = new ArrayList<>();
        for (Optional<Instant> next = customer.nextChangeAt();
                next.isPresent();
                next = customer.nextChangeAt()) {
            changes.add(next.get());
            customer.at(next.get());
        }

        assertThat(changes)
                .containsExactly(
                        T0.plus(days(7)).plus(MS), // orders_7d
                        T0.plus(days(30)).plus(MS), // orders_30d, revenue_30d, new -> active
                        T0.plus(days(60)).plus(MS), // orders_60d, active -> at_risk
                        T0.plus(days(90)).plus(MS), // orders_90d, revenue_90d
                        T0.plus(days(120)).plus(MS)); // at_risk -> lapsed
        assertThat(customer.features().lifecycleStage).isEqualTo("lapsed");
    }

    @Test
    void nextChangeAtFollowsTheOldestOrderStillInAWindow() {
        TestCustomer customer =
                new TestCustomer().apply(order("o1", T0), order("o2", T0.plus(DAY).plus(HOUR)));

        assertThat(customer.nextChangeAt()).contains(T0.plus(days(7)).plus(MS));
        customer.at(T0.plus(days(7)).plus(MS));
        assertThat(customer.features().orders7d).isEqualTo(1);
        assertThat(customer.nextChangeAt()).contains(T0.plus(days(8)).plus(HOUR).plus(MS));
    }

    @Test
    void advancingTheClockBackwardsChangesNothing() {
        TestCustomer customer = new TestCustomer().apply(order("o1", T0.plus(days(10))));

        CustomerFeatures f = customer.at(T0);

        assertThat(f.asOf).isEqualTo(T0.plus(days(10)).toEpochMilli());
        assertThat(f.orders7d).isEqualTo(1);
    }

    @Test
    void anOrderBeyondNinetyDaysIsForgottenByTheWindowsButNotByTheLifetimeValues() {
        TestCustomer customer = new TestCustomer().apply(order("o1", T0, 50.0));

        CustomerFeatures f = customer.at(T0.plus(days(200)));

        assertThat(f.orders90d).isZero();
        assertThat(f.revenue90d).isZero();
        assertThat(f.lifetimeOrders).isEqualTo(1);
        assertThat(f.lifetimeRevenue).isEqualTo(50.0);
        assertThat(customer.state.orders).isEmpty();
    }
}
