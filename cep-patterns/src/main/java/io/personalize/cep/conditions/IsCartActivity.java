package io.personalize.cep.conditions;

import io.personalize.cep.CartSignal;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/** A cart change or purchase after an abandonment: it cancels the pending reminder. */
public final class IsCartActivity extends SimpleCondition<CartSignal> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(CartSignal signal) {
        return signal.activity != null;
    }
}
