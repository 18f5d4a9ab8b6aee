package io.personalize.core.features;

import java.util.List;
import java.util.Objects;

/** One product in the open cart. A Flink POJO. */
public class CartLine {
    public String productId;
    public String category;
    public int quantity;
    public double price;
    public long changedAt;

    public CartLine() {}

    /** Units in a cart. */
    public static long units(List<CartLine> cart) {
        long units = 0;
        for (CartLine line : cart) {
            units += line.quantity;
        }
        return units;
    }

    /** Price times quantity summed over a cart. */
    public static double value(List<CartLine> cart) {
        double value = 0;
        for (CartLine line : cart) {
            value += line.quantity * line.price;
        }
        return value;
    }

    public CartLine(String productId, String category, int quantity, double price, long changedAt) {
        this.productId = productId;
        this.category = category;
        this.quantity = quantity;
        this.price = price;
        this.changedAt = changedAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CartLine other
                && quantity == other.quantity
                && Double.compare(price, other.price) == 0
                && changedAt == other.changedAt
                && Objects.equals(productId, other.productId)
                && Objects.equals(category, other.category);
    }

    @Override
    public int hashCode() {
        return Objects.hash(productId, category, quantity, price, changedAt);
    }
}
