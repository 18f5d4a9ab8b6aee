package io.personalize.cep.conditions;

import io.personalize.cep.CartSignal;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/** A recorded abandonment: the start of the wait for the reminder. */
public final class IsAbandonment extends SimpleCondition<CartSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(CartSignal signal) {
        return signal.abandonment != null;
    }
}
