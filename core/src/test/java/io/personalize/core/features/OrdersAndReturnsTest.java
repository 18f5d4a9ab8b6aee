package io.personalize.core.features;

import static io.personalize.core.features.Events.DAY;
import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.MINUTE;
import static io.personalize.core.features.Events.MS;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.cancellation;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.item;
import static io.personalize.core.features.Events.order;
import static io.personalize.core.features.Events.orderLine;
import static io.personalize.core.features.Events.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OrdersAndReturnsTest {

    @Test
    void orderLinesOfOneOrderCountAsOneOrderAndTheirAmountsAddUp() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                orderLine("536365", T0, item("p1", "home", 2.55, 6)),
                                orderLine("536365", T0, item("p2", "home", 3.39, 2)),
                                orderLine("536365", T0.plus(MINUTE), item("p3", "toys", 7.65, 1)),
                                order("o2", T0.plus(HOUR), 20.0));

        CustomerFeatures f = customer.features();

        double first = 6 * 2.55 + 2 * 3.39 + 7.65;
        assertThat(f.orders7d).isEqualTo(2);
        assertThat(f.orders30d).isEqualTo(2);
        assertThat(f.lifetimeOrders).isEqualTo(2);
        assertThat(f.revenue30d).isCloseTo(first + 20.0, within(1e-9));
        assertThat(f.lifetimeRevenue).isCloseTo(first + 20.0, within(1e-9));
        assertThat(f.avgOrderValue).isCloseTo((first + 20.0) / 2, within(1e-9));
    }

    @Test
    void anOrderTakesTheTimeOfItsEarliestLineWhateverTheArrivalOrder() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                orderLine("o1", T0.plus(HOUR), item("p2", "home", 5.0, 1)),
                                orderLine("o1", T0, item("p1", "home", 5.0, 1)));

        assertThat(customer.value("orders_7d", T0.plus(days(7)))).isEqualTo(1L);
        assertThat(customer.value("orders_7d", T0.plus(days(7)).plus(MS))).isEqualTo(0L);
        assertThat(customer.features().firstPurchaseAt).isEqualTo(T0.toEpochMilli());
        assertThat(customer.features().lastPurchaseAt).isEqualTo(T0.plus(HOUR).toEpochMilli());
    }

    @Test
    void aRepeatedOrderCompletedIsCountedOnce() {
        TestCustomer customer =
                new TestCustomer().apply(order("o1", T0, 40.0), order("o1", T0.plus(MINUTE), 40.0));

        CustomerFeatures f = customer.features();

        assertThat(f.orders30d).isEqualTo(1);
        assertThat(f.lifetimeOrders).isEqualTo(1);
        assertThat(f.revenue30d).isEqualTo(40.0);
        assertThat(f.lifetimeRevenue).isEqualTo(40.0);
    }

    @Test
    void avgOrderValueIsLifetimeRevenueOverLifetimeOrdersAndUnknownWithoutOrders() {
        TestCustomer customer = new TestCustomer().apply(Events.view("p1", T0));
        assertThat(customer.features().avgOrderValue).isNull();
        assertThat(customer.features().lifetimeOrders).isZero();
        assertThat(customer.features().lifetimeRevenue).isZero();

        customer.apply(order("o1", T0.plus(DAY), 30.0), order("o2", T0.plus(days(100)), 60.0));

        assertThat(customer.features().lifetimeOrders).isEqualTo(2);
        assertThat(customer.features().lifetimeRevenue).isEqualTo(90.0);
        assertThat(customer.features().avgOrderValue).isEqualTo(45.0);
    }

    @Test
    void aFullCancellationUncountsTheOrderAndTakesItsRevenueBack() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                order("o1", T0, 100.0),
                                order("o2", T0.plus(HOUR), 50.0),
                                cancellation("o1", T0.plus(DAY), 100.0));

        CustomerFeatures f = customer.features();

        assertThat(f.orders7d).isEqualTo(1);
        assertThat(f.orders90d).isEqualTo(1);
        assertThat(f.lifetimeOrders).isEqualTo(1);
        assertThat(f.revenue30d).isEqualTo(50.0);
        assertThat(f.lifetimeRevenue).isEqualTo(50.0);
        assertThat(f.avgOrderValue).isEqualTo(50.0);
    }

    @Test
    void aPartialCancellationKeepsTheOrderCountedAndDeductsTheAmount() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(order("o1", T0, 100.0), cancellation("o1", T0.plus(DAY), 30.0));

        CustomerFeatures f = customer.features();

        assertThat(f.orders30d).isEqualTo(1);
        assertThat(f.lifetimeOrders).isEqualTo(1);
        assertThat(f.revenue30d).isEqualTo(70.0);
        assertThat(f.revenue90d).isEqualTo(70.0);
        assertThat(f.lifetimeRevenue).isEqualTo(70.0);
    }

    @Test
    void partialCancellationsThatTogetherTakeEverythingBackUncountTheOrder() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                order("o1", T0, 100.0),
                                cancellation("o1", T0.plus(DAY), 60.0),
                                cancellation("o1", T0.plus(days(2)), 40.0));

        assertThat(customer.features().orders30d).isZero();
        assertThat(customer.features().lifetimeOrders).isZero();
        assertThat(customer.features().revenue30d).isZero();
    }

    @Test
    void aCancellationNamedWithTheCPrefixTakesBackFromTheOrder() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                orderLine("536379", T0, item("p1", "home", 10.0, 3)),
                                cancellation("C536379", T0.plus(HOUR), 10.0));

        CustomerFeatures f = customer.features();

        assertThat(f.orders30d).isEqualTo(1);
        assertThat(f.revenue30d).isEqualTo(20.0);
        assertThat(f.lifetimeRevenue).isEqualTo(20.0);
        assertThat(customer.state.revenueAdjustments).isEmpty();

        customer.apply(cancellation("C536379", T0.plus(days(2)), 20.0));

        assertThat(customer.features().orders30d).isZero();
        assertThat(customer.features().lifetimeOrders).isZero();
        assertThat(customer.features().lifetimeRevenue).isZero();
    }

    @Test
    void cancellingAnExportedInvoiceLineByLineUncountsItDespiteFloatingPointRounding() {
        // 2 x 0.85 + 1.25, then one cancellation per line: the residue is 2.2e-16, not 0
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                orderLine("536400", T0, item("p1", "home", 0.85, 2)),
                                orderLine("536400", T0, item("p2", "home", 1.25, 1)),
                                cancellation("C536400", T0.plus(HOUR), 2 * 0.85),
                                cancellation("C536400", T0.plus(HOUR), 1.25));

        CustomerFeatures f = customer.features();

        assertThat(f.orders7d).isZero();
        assertThat(f.lifetimeOrders).isZero();
        assertThat(f.revenue30d).isZero();
        assertThat(f.lifetimeRevenue).isCloseTo(0.0, within(1e-9));
        assertThat(f.avgOrderValue).isNull();
    }

    @Test
    void aRefundDeductsRevenueButKeepsTheOrderCountedEvenWhenItTakesEverything() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                order("o1", T0, 100.0),
                                refund("o1", T0.plus(DAY), 25.0),
                                order("o2", T0.plus(HOUR), 40.0),
                                refund("o2", T0.plus(DAY), 40.0));

        CustomerFeatures f = customer.features();

        assertThat(f.orders30d).isEqualTo(2);
        assertThat(f.lifetimeOrders).isEqualTo(2);
        assertThat(f.revenue30d).isEqualTo(75.0);
        assertThat(f.lifetimeRevenue).isEqualTo(75.0);
    }

    @Test
    void aTakeBackLargerThanItsOrderIsDeductedInFull() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                order("o1", T0, 30.0),
                                order("o2", T0, 50.0),
                                refund("o1", T0.plus(DAY), 45.0));

        assertThat(customer.features().revenue30d).isEqualTo(35.0);
        assertThat(customer.features().lifetimeRevenue).isEqualTo(35.0);
        assertThat(customer.features().lifetimeOrders).isEqualTo(2);
    }

    @Test
    void aTakeBackOfAnUnknownOrderIsANegativeRevenueAdjustmentThatExpiresExactly() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(refund("o0", T0, 30.0), order("o1", T0.plus(days(10)), 100.0));

        assertThat(customer.features().revenue30d).isEqualTo(70.0);
        assertThat(customer.features().revenue90d).isEqualTo(70.0);
        assertThat(customer.features().orders30d).isEqualTo(1);
        assertThat(customer.value("revenue_30d", T0.plus(days(30)))).isEqualTo(70.0);
        assertThat(customer.value("revenue_30d", T0.plus(days(30)).plus(MS))).isEqualTo(100.0);
        assertThat(customer.value("revenue_90d", T0.plus(days(90)))).isEqualTo(70.0);
        assertThat(customer.value("revenue_90d", T0.plus(days(90)).plus(MS))).isEqualTo(100.0);
    }

    @Test
    void aCancellationOfAnOrderThatLeftTheWindowsUncountsItAndLeavesTheWindowsAlone() {
        TestCustomer customer = new TestCustomer().apply(order("o1", T0, 100.0));
        customer.at(T0.plus(days(100)));

        customer.apply(
                order("o2", T0.plus(days(100)), 50.0),
                cancellation("C1-unknown", T0.plus(days(100)), 20.0),
                cancellation("o1", T0.plus(days(101)), 100.0));

        CustomerFeatures f = customer.features();

        assertThat(f.orders30d).isEqualTo(1);
        assertThat(f.lifetimeOrders).isEqualTo(1); // o2; o1 is cancelled, C1-unknown no order
        assertThat(f.revenue30d).isEqualTo(30.0); // 50 - 20: o1's cancellation is o1's, at T0
        assertThat(f.revenue90d).isEqualTo(30.0);
        assertThat(f.lifetimeRevenue).isEqualTo(30.0); // 150 - 20 - 100
    }

    @Test
    void aCancellationOfAnOrderForgottenBeyondTheHorizonIsAnAdjustmentAndUncountsNothing() {
        TestCustomer customer = new TestCustomer().apply(order("o1", T0, 100.0));
        customer.at(T0.plus(days(400)).plus(MS)); // o1 is forgotten

        customer.apply(cancellation("o1", T0.plus(days(401)), 100.0));

        CustomerFeatures f = customer.features();
        assertThat(f.lifetimeOrders).isEqualTo(1);
        assertThat(f.revenue30d).isEqualTo(-100.0);
        assertThat(f.lifetimeRevenue).isZero();
    }

    @Test
    void cancellationsExceedingPurchasesGiveANegativeNetRevenue() {
        TestCustomer customer =
                new TestCustomer().apply(order("o1", T0, 20.0), refund("old", T0.plus(HOUR), 50.0));

        CustomerFeatures f = customer.features();

        assertThat(f.revenue30d).isEqualTo(-30.0);
        assertThat(f.revenue90d).isEqualTo(-30.0);
        assertThat(f.lifetimeRevenue).isEqualTo(-30.0);
        assertThat(f.avgOrderValue).isEqualTo(-30.0);
        assertThat(f.orders30d).isEqualTo(1);
    }

    @Test
    void aRevenueAdjustmentWakesNextChangeAtOnlyAtItsThirtyAndNinetyDayMarks() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(refund("o0", T0, 30.0), order("o1", T0.plus(days(10)), 100.0));

        customer.at(T0.plus(days(17)).plus(MS)); // o1 left orders_7d
        assertThat(customer.nextChangeAt()).contains(T0.plus(days(30)).plus(MS));

        customer.at(T0.plus(days(30)).plus(MS)); // the adjustment left revenue_30d
        assertThat(customer.nextChangeAt()).contains(T0.plus(days(40)).plus(MS));

        customer.at(T0.plus(days(40)).plus(MS)); // o1 left the 30-day windows
        assertThat(customer.nextChangeAt()).contains(T0.plus(days(70)).plus(MS));
    }

    @Test
    void aFullyCancelledOrderDoesNotWakeNextChangeAt() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                order("o1", T0, 100.0),
                                cancellation("o1", T0.plus(HOUR), 100.0),
                                order("o2", T0.plus(days(10)), 50.0));

        customer.at(T0.plus(days(40)).plus(MS)); // o2 left the 30-day windows
        // o1 was cancelled: none of its window marks changes a value; o2's 60 days (and
        // at_risk) come next
        assertThat(customer.nextChangeAt()).contains(T0.plus(days(70)).plus(MS));
        assertThat(customer.features().lifecycleStage).isEqualTo("active");
    }
}
