package io.personalize.core.features;

import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.MS;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.cancellation;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.item;
import static io.personalize.core.features.Events.order;
import static io.personalize.core.features.Events.orderLine;
import static io.personalize.core.features.Events.view;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Order ids are remembered for the order horizon: a late line of a known order is never new. */
class OrderHorizonTest {

    @Test
    void aLineOfAnOrderArrivingMonthsAfterItsFirstLineIsNotANewOrder() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                orderLine("536365", T0, item("p1", "home", 2.5, 4)),
                                order("o2", T0.plus(days(150)), 40.0),
                                view("p9", T0.plus(days(160))));
        assertThat(customer.state.orders).extracting(o -> o.orderId).containsExactly("o2");

        customer.apply(orderLine("536365", T0, item("p2", "home", 1.0, 5)));

        CustomerFeatures f = customer.features();
        assertThat(f.lifetimeOrders).isEqualTo(2);
        assertThat(f.lifetimeRevenue).isEqualTo(10.0 + 40.0 + 5.0);
        assertThat(f.orders90d).isEqualTo(1);
        assertThat(f.revenue90d).isEqualTo(40.0);
        assertThat(customer.state.orders).extracting(o -> o.orderId).containsExactly("o2");
    }

    @Test
    void anOrderIdIsForgottenOnceItsLatestEventIsMoreThanTheHorizonBehindTheClock() {
        FeatureConfig d = FeatureConfig.defaults();
        FeatureConfig horizon120 =
                new FeatureConfig(
                        d.newCustomerWindow(),
                        d.atRiskAfter(),
                        d.lapsedAfter(),
                        d.engagementHalfLife(),
                        d.affinityHalfLife(),
                        d.sessionGap(),
                        Map.of(),
                        Map.of(),
                        Duration.ofDays(120));
        TestCustomer customer =
                new TestCustomer(horizon120)
                        .apply(order("o1", T0, 10.0), order("o2", T0.plus(days(30)), 10.0));

        customer.at(T0.plus(days(120)));
        assertThat(customer.state.orderMemory.size()).isEqualTo(2);
        customer.at(T0.plus(days(120)).plus(MS));
        assertThat(customer.state.orderMemory.size()).isEqualTo(1);
        customer.at(T0.plus(days(150)).plus(MS));
        assertThat(customer.state.orderMemory.size()).isZero();
        assertThat(customer.features().lifetimeOrders).isEqualTo(2);
    }

    @Test
    void aCancellationArrivingBeforeItsOrderIsCarriedByTheOrderWhenItArrives() {
        TestCustomer customer =
                new TestCustomer().apply(cancellation("C536370", T0.plus(days(40)), 10.0));
        assertThat(customer.features().revenue30d).isEqualTo(-10.0);
        assertThat(customer.features().lifetimeOrders).isZero();

        customer.apply(orderLine("536370", T0, item("p1", "home", 15.0, 2)));

        CustomerFeatures f = customer.features();
        assertThat(f.lifetimeOrders).isEqualTo(1);
        assertThat(f.lifetimeRevenue).isEqualTo(20.0);
        assertThat(f.revenue30d).isZero(); // the order, net 20, is at T0: 40 days ago
        assertThat(f.revenue90d).isEqualTo(20.0);
        assertThat(customer.state.revenueAdjustments).isEmpty();
    }

    @Test
    void aFullCancellationArrivingBeforeItsOrderUncountsTheOrder() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                cancellation("C536371", T0.plus(HOUR), 30.0),
                                orderLine("536371", T0, item("p1", "home", 10.0, 3)));

        CustomerFeatures f = customer.features();
        assertThat(f.lifetimeOrders).isZero();
        assertThat(f.orders7d).isZero();
        assertThat(f.lifetimeRevenue).isZero();
        assertThat(f.avgOrderValue).isNull();
    }

    @Test
    void aCompletionTotalCountsOnceAndLinesAddToItInEitherOrder() {
        CustomerFeatures completionFirst =
                new TestCustomer()
                        .apply(
                                order("o1", T0, 100.0),
                                orderLine("o1", T0, item("p1", "home", 10.0, 1)),
                                order("o1", T0.plus(HOUR), 100.0))
                        .features();
        CustomerFeatures lineFirst =
                new TestCustomer()
                        .apply(
                                order("o1", T0.plus(HOUR), 100.0),
                                orderLine("o1", T0, item("p1", "home", 10.0, 1)),
                                order("o1", T0, 100.0))
                        .features();

        assertThat(completionFirst.lifetimeRevenue).isEqualTo(110.0);
        assertThat(lineFirst.lifetimeRevenue).isEqualTo(110.0);
        assertThat(completionFirst.lifetimeOrders).isEqualTo(1);
        assertThat(lineFirst.lifetimeOrders).isEqualTo(1);
    }

    @Test
    void aRetailCancellationAndItsOrderNameTheSameOrderWhicheverArrivesFirst() {
        assertThat(StateUpdates.orderKey("C536379")).isEqualTo("536379");
        assertThat(StateUpdates.orderKey("c536379")).isEqualTo("536379");
        assertThat(StateUpdates.orderKey("536379")).isEqualTo("536379");
        assertThat(StateUpdates.orderKey("CX-1001")).isEqualTo("CX-1001");
        assertThat(StateUpdates.orderKey("C")).isEqualTo("C");
    }
}
