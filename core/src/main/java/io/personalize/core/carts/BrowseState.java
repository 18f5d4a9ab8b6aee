package io.personalize.core.carts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One customer's browsing of products, for browse abandonment. A Flink POJO.
 *
 * <p>A product is <b>browse-abandoned</b> at {@code v + quiet} when, with {@code v} its last view:
 * it was viewed at least {@code minViews} times in {@code (v - window, v]}, and it was neither
 * added to the cart nor bought in {@code (v - window, v + quiet]}. Each new view moves the moment
 * to its own time plus {@code quiet}. After an abandonment its views are forgotten, so the next one
 * needs {@code minViews} new views. Late events are placed by their event time.
 */
public class BrowseState {
    /** Products tracked per customer; the least recently active is dropped beyond. */
    public static final int MAX_PRODUCTS = 50;

    public String customerId;
    public Map<String, ProductBrowse> products = new HashMap<>();

    /** Event time of the pending timer; null when none. */
    public Long timerAt;

    public BrowseState() {}

    /** Applies a view, an add-to-cart or a bought line of one product. */
    public void apply(ProductInteraction interaction, int minViews, long window, long quiet) {
        if (interaction.customerId != null) {
            customerId = interaction.customerId;
        }
        long at = interaction.at;
        ProductBrowse product = product(interaction.productId);
        if (interaction.kind == ProductInteraction.Kind.VIEWED) {
            product.category = interaction.category;
            int index = Collections.binarySearch(product.views, at);
            product.views.add(index < 0 ? -index - 1 : index, at);
            product.views.removeIf(view -> view <= product.lastView() - window);
            product.dueAt =
                    countInWindow(product, window) >= minViews ? product.lastView() + quiet : null;
        } else {
            product.cartedAt = product.cartedAt == null ? at : Math.max(product.cartedAt, at);
        }
        forgetBeyond(window + quiet, at);
    }

    /**
     * Applies an anonymous visitor's interaction carried over at a login ({@link
     * ProductInteraction#carriedAt}): as the customer's own, except that a product whose moment
     * came before the login stays the visitor's (the visitor's key reported it at its close).
     */
    public void applyCarried(
            ProductInteraction interaction, int minViews, long window, long quiet) {
        apply(interaction, minViews, window, quiet);
        ProductBrowse product = products.get(interaction.productId);
        if (product != null && product.dueAt != null && product.dueAt < interaction.carriedAt) {
            product.views.clear();
            product.dueAt = null;
        }
    }

    /**
     * The abandonments due at {@code time} (the products whose moment it is and that were not
     * carted meanwhile); their views are forgotten.
     */
    public List<BrowseAbandonment> due(
            String customerKey, long time, int minViews, long window, long quiet) {
        List<BrowseAbandonment> due = new ArrayList<>();
        for (Map.Entry<String, ProductBrowse> e : new TreeMap<>(products).entrySet()) {
            ProductBrowse product = e.getValue();
            if (product.dueAt == null || product.dueAt > time) {
                continue;
            }
            long last = product.lastView();
            boolean carted =
                    product.cartedAt != null
                            && product.cartedAt > last - window
                            && product.cartedAt <= product.dueAt;
            int views = countInWindow(product, window);
            if (!carted && views >= minViews) {
                due.add(abandonment(customerKey, e.getKey(), product, views, window));
            }
            product.views.clear();
            product.dueAt = null;
        }
        forgetBeyond(window + quiet, time);
        return due;
    }

    /** The earliest due moment; {@link Long#MAX_VALUE} when none. */
    public long nextDueAt() {
        long next = Long.MAX_VALUE;
        for (ProductBrowse product : products.values()) {
            if (product.dueAt != null) {
                next = Math.min(next, product.dueAt);
            }
        }
        return next;
    }

    public boolean isEmpty() {
        return products.isEmpty();
    }

    private BrowseAbandonment abandonment(
            String customerKey, String productId, ProductBrowse product, int views, long window) {
        BrowseAbandonment a = new BrowseAbandonment();
        a.customerKey = customerKey;
        a.customerId = customerId;
        a.productId = productId;
        a.category = product.category;
        a.views = views;
        long last = product.lastView();
        a.firstViewAt =
                product.views.stream().filter(v -> v > last - window).findFirst().orElse(last);
        a.lastViewAt = last;
        a.at = product.dueAt;
        return a;
    }

    private ProductBrowse product(String productId) {
        return products.computeIfAbsent(productId, id -> new ProductBrowse());
    }

    private static int countInWindow(ProductBrowse product, long window) {
        long last = product.lastView();
        int count = 0;
        for (long view : product.views) {
            if (view > last - window) {
                count++;
            }
        }
        return count;
    }

    /** Drops products with nothing pending and no activity within {@code horizon} before now. */
    private void forgetBeyond(long horizon, long now) {
        products.values().removeIf(p -> p.dueAt == null && p.latestActivity() <= now - horizon);
        while (products.size() > MAX_PRODUCTS) {
            String oldest = null;
            long oldestAt = Long.MAX_VALUE;
            for (Map.Entry<String, ProductBrowse> e : new TreeMap<>(products).entrySet()) {
                if (e.getValue().latestActivity() < oldestAt) {
                    oldest = e.getKey();
                    oldestAt = e.getValue().latestActivity();
                }
            }
            products.remove(oldest);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrowseState other
                && Objects.equals(customerId, other.customerId)
                && Objects.equals(products, other.products)
                && Objects.equals(timerAt, other.timerAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerId, products, timerAt);
    }
}
