package io.personalize.cep;

import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.CartActivities;
import io.personalize.core.carts.CartActivity;
import io.personalize.core.features.CartLine;
import io.personalize.core.recommend.CustomerContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds cart activity of one customer, with named times. */
final class CartFixtures {
    static final String CUSTOMER = "c1";

    private final List<CartLine> cart = new ArrayList<>();
    private Long episode;

    CartActivity add(String product, double price, long at) {
        cart.add(new CartLine(product, "apparel.shoes", 1, price, at));
        return activity(CartActivity.Kind.ADDED, product, at);
    }

    CartActivity remove(String product, long at) {
        cart.removeIf(line -> line.productId.equals(product));
        return activity(CartActivity.Kind.REMOVED, product, at);
    }

    CartActivity purchase(long at) {
        cart.clear();
        return activity(CartActivity.Kind.PURCHASED, null, at);
    }

    private CartActivity activity(CartActivity.Kind kind, String product, long at) {
        CartActivity a = new CartActivity();
        a.customerKey = CUSTOMER;
        a.customerId = CUSTOMER;
        a.eventId = kind + "-" + at;
        a.kind = kind;
        a.at = at;
        a.productId = product;
        a.items = new ArrayList<>();
        for (CartLine line : cart) {
            a.items.add(new CartLine(line.productId, line.category, line.quantity, line.price, at));
        }
        boolean empty = a.items.isEmpty();
        a.cartEmpty = empty;
        episode = CartActivities.episodeAfter(episode, kind, empty, at);
        a.episodeStartedAt = episode;
        a.context = new CustomerContext();
        return a;
    }

    /** The abandonment of {@code lastChange}, as the first pattern reports it. */
    static CartAbandonment abandonmentOf(CartActivity lastChange, Duration abandonAfter) {
        return CartAbandonment.abandoned(lastChange, lastChange.at + abandonAfter.toMillis());
    }
}
