package io.personalize.cep.conditions;

import io.personalize.core.carts.CartActivity;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * Any add, removal or purchase: whatever the customer does to the cart next ends the wait for
 * silence (a purchase or an emptied cart ends the episode; a change restarts the clock).
 */
public final class AnyCartActivity extends SimpleCondition<CartActivity> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(CartActivity activity) {
        return activity.kind != null;
    }
}
