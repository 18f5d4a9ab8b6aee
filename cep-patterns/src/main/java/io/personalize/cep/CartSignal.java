package io.personalize.cep;

import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.CartActivity;
import java.util.Objects;

/**
 * The reminder pattern's input, one of two things: an abandonment, or a later activity of the same
 * customer's cart. A Flink POJO (CEP needs one input type).
 */
public class CartSignal {
    public CartAbandonment abandonment;
    public CartActivity activity;

    public CartSignal() {}

    public static CartSignal of(CartAbandonment abandonment) {
        CartSignal signal = new CartSignal();
        signal.abandonment = abandonment;
        return signal;
    }

    public static CartSignal of(CartActivity activity) {
        CartSignal signal = new CartSignal();
        signal.activity = activity;
        return signal;
    }

    public String customerKey() {
        return abandonment != null ? abandonment.customerKey : activity.customerKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CartSignal other
                && Objects.equals(abandonment, other.abandonment)
                && Objects.equals(activity, other.activity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(abandonment, activity);
    }
}
