package io.personalize.core.carts;

import io.personalize.core.features.CartLine;
import io.personalize.core.recommend.CustomerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One change of a customer's cart as the customer state saw it: an add, a removal or a purchase,
 * with the cart as it is after the change. The input of the cart patterns. A Flink POJO.
 *
 * <p>The cart is the one the feature state keeps (features issue), so the patterns and the {@code
 * cart_*} features never disagree about what is in it.
 */
public class CartActivity {
    /** What happened to the cart. */
    public enum Kind {
        ADDED,
        REMOVED,
        PURCHASED,
        /** The key was merged into a customer (identity): its state closes, nothing is reported. */
        CLOSED
    }

    public String customerKey;
    public String customerId;
    public String eventId;
    public Kind kind;

    /** Event time of the change. */
    public long at;

    /** The product added or removed; null for a purchase. */
    public String productId;

    /** The cart after the change (copies, never the state's own lines). */
    public List<CartLine> items = new ArrayList<>();

    /** Whether the cart is empty after the change (kept when {@link #slim} drops the items). */
    public boolean cartEmpty;

    /**
     * When the cart episode this change belongs to began: the first change that left a non-empty
     * cart after an empty cart or a purchase. Null when the change ended the episode (a purchase,
     * an emptied cart) without starting one.
     */
    public Long episodeStartedAt;

    /** What recommendations need to know of the customer at this change. */
    public CustomerContext context;

    public CartActivity() {}

    /** The end of a key merged into a customer: completes what is pending, reports nothing. */
    public static CartActivity closed(String customerKey, long at) {
        CartActivity closed = new CartActivity();
        closed.customerKey = customerKey;
        closed.kind = Kind.CLOSED;
        closed.at = at;
        closed.cartEmpty = true;
        return closed;
    }

    /** True when the cart holds nothing after this change. */
    public boolean emptiesCart() {
        return cartEmpty;
    }

    /** An add or a removal after which the cart still holds something: it (re)starts the clock. */
    public boolean leavesOpenCart() {
        return kind != Kind.PURCHASED && kind != Kind.CLOSED && !cartEmpty;
    }

    /**
     * This change without the cart's items and the customer context: what a pattern that only asks
     * what happened, and when, needs (less to ship between tasks).
     */
    public CartActivity slim() {
        CartActivity slim = new CartActivity();
        slim.customerKey = customerKey;
        slim.customerId = customerId;
        slim.eventId = eventId;
        slim.kind = kind;
        slim.at = at;
        slim.productId = productId;
        slim.cartEmpty = cartEmpty;
        slim.episodeStartedAt = episodeStartedAt;
        return slim;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CartActivity other
                && at == other.at
                && kind == other.kind
                && cartEmpty == other.cartEmpty
                && Objects.equals(customerKey, other.customerKey)
                && Objects.equals(customerId, other.customerId)
                && Objects.equals(eventId, other.eventId)
                && Objects.equals(productId, other.productId)
                && Objects.equals(items, other.items)
                && Objects.equals(episodeStartedAt, other.episodeStartedAt)
                && Objects.equals(context, other.context);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerKey, eventId, kind, at);
    }

    @Override
    public String toString() {
        return "CartActivity{"
                + customerKey
                + " "
                + kind
                + " @"
                + at
                + " items="
                + items.size()
                + "}";
    }
}
