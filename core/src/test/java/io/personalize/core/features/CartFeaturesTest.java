package io.personalize.core.features;

import static io.personalize.core.features.Events.MINUTE;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.addToCart;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.item;
import static io.personalize.core.features.Events.order;
import static io.personalize.core.features.Events.orderLine;
import static io.personalize.core.features.Events.removeFromCart;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CartFeaturesTest {
    private static Instant minute(int n) {
        return T0.plus(MINUTE.multipliedBy(n));
    }

    @Test
    void anEmptyCartHasNoItemsAndNoValue() {
        CustomerFeatures f = new TestCustomer().apply(Events.view("p1", T0)).features();

        assertThat(f.cartItems).isZero();
        assertThat(f.cartValue).isZero();
        assertThat(f.cartProductIds).isEmpty();
    }

    @Test
    void addingProductsPutsThemInTheCartWithTheirValue() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                addToCart("p1", 10.0, 2, minute(0)),
                                addToCart("p2", 4.5, 1, minute(1)))
                        .features();

        assertThat(f.cartItems).isEqualTo(3);
        assertThat(f.cartValue).isEqualTo(24.5);
        assertThat(f.cartProductIds).containsExactly("p1", "p2");
    }

    @Test
    void addingTheSameProductAgainRaisesItsQuantity() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                addToCart("p1", 10.0, 2, minute(0)),
                                addToCart("p1", 10.0, 1, minute(1)))
                        .features();

        assertThat(f.cartItems).isEqualTo(3);
        assertThat(f.cartValue).isEqualTo(30.0);
        assertThat(f.cartProductIds).containsExactly("p1");
        assertThat(f.addToCarts7d).isEqualTo(2);
    }

    @Test
    void removingSomeUnitsLowersTheQuantity() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                addToCart("p1", 10.0, 3, minute(0)),
                                removeFromCart("p1", 1, minute(1)))
                        .features();

        assertThat(f.cartItems).isEqualTo(2);
        assertThat(f.cartValue).isEqualTo(20.0);
        assertThat(f.cartProductIds).containsExactly("p1");
    }

    @Test
    void removingEveryUnitTakesTheProductOutOfTheCart() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                addToCart("p1", 10.0, 2, minute(0)),
                                addToCart("p2", 5.0, 1, minute(1)),
                                removeFromCart("p1", 2, minute(2)))
                        .features();

        assertThat(f.cartItems).isEqualTo(1);
        assertThat(f.cartValue).isEqualTo(5.0);
        assertThat(f.cartProductIds).containsExactly("p2");
    }

    @Test
    void removingMoreThanIsInTheCartEmptiesTheLineWithoutGoingNegative() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                addToCart("p1", 10.0, 1, minute(0)),
                                removeFromCart("p1", 5, minute(1)),
                                removeFromCart("p9", 1, minute(2)))
                        .features();

        assertThat(f.cartItems).isZero();
        assertThat(f.cartValue).isZero();
        assertThat(f.cartProductIds).isEmpty();
    }

    @Test
    void buyingACartItemRemovesItAndLeavesTheRest() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                addToCart("p1", 10.0, 2, minute(0)),
                                addToCart("p2", 5.0, 1, minute(1)),
                                order("o1", minute(5), item("p1", "home", 10.0, 2)))
                        .features();

        assertThat(f.cartProductIds).containsExactly("p2");
        assertThat(f.cartItems).isEqualTo(1);
        assertThat(f.cartValue).isEqualTo(5.0);
    }

    @Test
    void anOrderLineForACartItemRemovesIt() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                addToCart("p1", 10.0, 1, minute(0)),
                                addToCart("p2", 5.0, 1, minute(1)),
                                orderLine("536365", minute(5), item("p2", "home", 5.0, 1)))
                        .features();

        assertThat(f.cartProductIds).containsExactly("p1");
    }

    @Test
    void anOrderCompletedWithoutItemsClearsTheCart() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                addToCart("p1", 10.0, 2, minute(0)),
                                addToCart("p2", 5.0, 1, minute(1)),
                                order("o1", minute(5), 25.0))
                        .features();

        assertThat(f.cartItems).isZero();
        assertThat(f.cartValue).isZero();
        assertThat(f.cartProductIds).isEmpty();
    }

    @Test
    void theCartDoesNotExpireWithTheWindows() {
        TestCustomer customer = new TestCustomer().apply(addToCart("p1", 10.0, 1, T0));

        CustomerFeatures f = customer.at(T0.plus(days(40)));

        assertThat(f.cartProductIds).containsExactly("p1");
        assertThat(f.cartValue).isEqualTo(10.0);
        assertThat(f.addToCarts7d).isZero();
    }
}
