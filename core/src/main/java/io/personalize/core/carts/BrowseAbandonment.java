package io.personalize.core.carts;

import java.util.Objects;

/**
 * A product viewed again and again but not put in the cart: {@code min-views} views within {@code
 * window}, then {@code quiet-period} without adding or buying it. A Flink POJO.
 */
public class BrowseAbandonment {
    public String customerKey;
    public String customerId;
    public String productId;
    public String category;

    /** Views of the product within the window up to the last view. */
    public int views;

    public long firstViewAt;
    public long lastViewAt;

    /** Event time of the abandonment: {@code lastViewAt + quiet-period}. */
    public long at;

    /** Wall-clock time the abandonment was detected. */
    public long processedAt;

    public BrowseAbandonment() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof BrowseAbandonment other
                && views == other.views
                && firstViewAt == other.firstViewAt
                && lastViewAt == other.lastViewAt
                && at == other.at
                && processedAt == other.processedAt
                && Objects.equals(customerKey, other.customerKey)
                && Objects.equals(customerId, other.customerId)
                && Objects.equals(productId, other.productId)
                && Objects.equals(category, other.category);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerKey, productId, at);
    }

    @Override
    public String toString() {
        return "BrowseAbandonment{" + customerKey + " " + productId + " @" + at + "}";
    }
}
