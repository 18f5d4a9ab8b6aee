package io.personalize.cep.conditions;

import io.personalize.core.carts.CartActivity;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/** An add or removal after which the cart still holds something: it (re)starts the clock. */
public final class LeavesOpenCart extends SimpleCondition<CartActivity> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(CartActivity activity) {
        return activity.leavesOpenCart();
    }
}
