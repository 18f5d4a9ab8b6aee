package io.personalize.core.features;

import static io.personalize.core.features.Events.MINUTE;
import static io.personalize.core.features.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Events that arrive late (within the watermark bound) give the features of time order. */
class ArrivalOrderTest {

    @Test
    void aCartAddArrivingAfterAPurchaseOfTheProductThatFollowedItIsIgnored() {
        CustomerFeatures late =
                new TestCustomer()
                        .apply(
                                Events.order(
                                        "o1",
                                        T0.plus(MINUTE),
                                        Events.item("p1", "toys.kids", 10.0, 1)),
                                Events.addToCart("p1", 10.0, 1, T0))
                        .features();

        assertThat(late.cartProductIds).isEmpty();
        assertThat(late.cartItems).isZero();
    }

    @Test
    void aCartAddArrivingAfterAnOrderThatEmptiedTheCartIsIgnored() {
        CustomerFeatures late =
                new TestCustomer()
                        .apply(
                                Events.order("o1", T0.plus(MINUTE)),
                                Events.addToCart("p1", 10.0, 1, T0))
                        .features();

        assertThat(late.cartProductIds).isEmpty();
    }

    @Test
    void aLateEventOfAnEarlierSessionDoesNotStartAnotherSession() {
        CustomerFeatures features =
                new TestCustomer()
                        .apply(
                                Events.inSession("s1", Events.pageView(T0)),
                                Events.inSession(
                                        "s2", Events.pageView(T0.plus(MINUTE.multipliedBy(40)))),
                                Events.inSession("s1", Events.pageView(T0.plus(MINUTE))))
                        .features();

        assertThat(features.sessions7d).isEqualTo(2);
    }

    @Test
    void aRemovalThatArrivesBeforeItsAddStillEmptiesTheCart() {
        CustomerFeatures features =
                new TestCustomer()
                        .apply(
                                Events.with(
                                        Events.addToCart("p1", 10.0, 1, T0.plus(MINUTE)),
                                        e ->
                                                e.eventType =
                                                        io.personalize.core.events.EventType
                                                                .REMOVE_FROM_CART),
                                Events.addToCart("p1", 10.0, 1, T0))
                        .features();

        assertThat(features.cartProductIds).isEmpty();
    }
}
