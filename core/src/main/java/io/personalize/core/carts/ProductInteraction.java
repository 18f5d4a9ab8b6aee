package io.personalize.core.carts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A product viewed, carted or bought, with the other products of the same session: what the
 * co-occurrence model learns from. Carries no customer id. A Flink POJO.
 */
public class ProductInteraction {
    public static final double VIEW_WEIGHT = 1.0;
    public static final double CART_WEIGHT = 3.0;
    public static final double PURCHASE_WEIGHT = 5.0;

    public String productId;
    public String category;
    public double weight;
    public long at;

    /** Other products of the session (at most a few, newest first). */
    public List<String> companions = new ArrayList<>();

    public ProductInteraction() {}

    public ProductInteraction(
            String productId, String category, double weight, long at, List<String> companions) {
        this.productId = productId;
        this.category = category;
        this.weight = weight;
        this.at = at;
        this.companions = companions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductInteraction other
                && Double.compare(weight, other.weight) == 0
                && at == other.at
                && Objects.equals(productId, other.productId)
                && Objects.equals(category, other.category)
                && Objects.equals(companions, other.companions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(productId, at, weight);
    }
}
