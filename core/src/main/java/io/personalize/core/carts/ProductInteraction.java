package io.personalize.core.carts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A product viewed, carted or bought by a customer, with the other products of the same session:
 * what the co-occurrence model learns from (it ignores who) and what browse abandonment watches. A
 * Flink POJO.
 */
public class ProductInteraction {
    public static final double VIEW_WEIGHT = 1.0;
    public static final double CART_WEIGHT = 3.0;
    public static final double PURCHASE_WEIGHT = 5.0;

    /** What was done with the product. */
    public enum Kind {
        VIEWED,
        ADDED,
        BOUGHT,
        /** The key was merged into a customer (identity): its state closes, nothing is reported. */
        CLOSED
    }

    public String customerKey;
    public String customerId;
    public Kind kind;
    public String productId;
    public String category;
    public long at;

    /**
     * An anonymous visitor's interaction carried over to the customer at a login (identity
     * stitching): the login's event time. Browse abandonment takes it as the customer's; the
     * recommender learned it already under the visitor. Null for the customer's own.
     */
    public Long carriedAt;

    /** Other products of the session (at most a few, newest first). */
    public List<String> companions = new ArrayList<>();

    public ProductInteraction() {}

    public ProductInteraction(
            Kind kind, String productId, String category, long at, List<String> companions) {
        this.kind = kind;
        this.productId = productId;
        this.category = category;
        this.at = at;
        this.companions = companions;
    }

    /** What the interaction weighs in co-occurrence and popularity. */
    public double weight() {
        return switch (kind) {
            case VIEWED -> VIEW_WEIGHT;
            case ADDED -> CART_WEIGHT;
            case BOUGHT -> PURCHASE_WEIGHT;
            case CLOSED -> 0.0;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductInteraction other
                && at == other.at
                && kind == other.kind
                && Objects.equals(carriedAt, other.carriedAt)
                && Objects.equals(customerKey, other.customerKey)
                && Objects.equals(customerId, other.customerId)
                && Objects.equals(productId, other.productId)
                && Objects.equals(category, other.category)
                && Objects.equals(companions, other.companions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(productId, at, kind);
    }
}
