package io.personalize.core.recommend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** Builds a {@link CustomerContext}: {@code new TestCustomer().cart("p1").views("p2").build()}. */
final class TestCustomer {
    private final CustomerContext context = new CustomerContext();

    TestCustomer cart(String... productIds) {
        context.cartProductIds = new ArrayList<>(List.of(productIds));
        return this;
    }

    TestCustomer views(String... productIds) {
        context.recentViewIds = new ArrayList<>(List.of(productIds));
        return this;
    }

    TestCustomer bought(String... productIds) {
        context.boughtProductIds = new ArrayList<>(List.of(productIds));
        return this;
    }

    TestCustomer affinity(String category, double value) {
        if (context.categoryAffinity == null) {
            context.categoryAffinity = new HashMap<>();
        }
        context.categoryAffinity.put(category, value);
        return this;
    }

    CustomerContext build() {
        return context;
    }
}
