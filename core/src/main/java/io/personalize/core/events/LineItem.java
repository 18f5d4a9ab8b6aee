package io.personalize.core.events;

import java.util.Objects;

/**
 * One product in an event: the product looked at or put in the cart, or one line of an order.
 *
 * <p>A Flink POJO: public no-argument constructor and public fields.
 */
public class LineItem {
    public String productId;
    public String name;
    public String categoryId;
    public String categoryCode;
    public String brand;

    /** Unit price, in the event's currency; {@code null} when not given. */
    public Double price;

    public int quantity = 1;

    public LineItem() {}

    public LineItem(String productId, String categoryCode, Double price, int quantity) {
        this.productId = productId;
        this.categoryCode = categoryCode;
        this.price = price;
        this.quantity = quantity;
    }

    /** Price times quantity, 0 when the price is unknown. */
    public double amount() {
        return price == null ? 0.0 : price * quantity;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LineItem other)) {
            return false;
        }
        return quantity == other.quantity
                && Objects.equals(productId, other.productId)
                && Objects.equals(name, other.name)
                && Objects.equals(categoryId, other.categoryId)
                && Objects.equals(categoryCode, other.categoryCode)
                && Objects.equals(brand, other.brand)
                && Objects.equals(price, other.price);
    }

    @Override
    public int hashCode() {
        return Objects.hash(productId, name, categoryId, categoryCode, brand, price, quantity);
    }

    @Override
    public String toString() {
        return "LineItem{" + productId + " x" + quantity + " @" + price + "}";
    }
}
