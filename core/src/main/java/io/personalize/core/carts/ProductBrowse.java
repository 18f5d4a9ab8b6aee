package io.personalize.core.carts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One product's recent views and carting by one customer. A Flink POJO. */
public class ProductBrowse {
    public String category;

    /** View times within the window, ascending. */
    public List<Long> views = new ArrayList<>();

    /** Latest add-to-cart or purchase of the product; null when none. */
    public Long cartedAt;

    /** When a browse abandonment is due (last view + quiet period); null when none is. */
    public Long dueAt;

    public ProductBrowse() {}

    long lastView() {
        return views.isEmpty() ? Long.MIN_VALUE : views.get(views.size() - 1);
    }

    long latestActivity() {
        long last = lastView();
        return cartedAt == null ? last : Math.max(last, cartedAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductBrowse other
                && Objects.equals(category, other.category)
                && Objects.equals(views, other.views)
                && Objects.equals(cartedAt, other.cartedAt)
                && Objects.equals(dueAt, other.dueAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(category, views, cartedAt, dueAt);
    }
}
