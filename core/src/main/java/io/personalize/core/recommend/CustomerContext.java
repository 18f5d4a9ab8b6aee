package io.personalize.core.recommend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the recommender needs to know about one customer at one moment: the open cart, recent views,
 * past purchases and category affinity. A Flink POJO; null lists and maps count as empty.
 */
public class CustomerContext {

    /** Products in the open cart, in the order they were added (newest last). */
    public List<String> cartProductIds = new ArrayList<>();

    /** Recently viewed products, newest last. */
    public List<String> recentViewIds = new ArrayList<>();

    /** Products the customer has already bought. */
    public List<String> boughtProductIds = new ArrayList<>();

    /** Category to affinity (any non-negative scale; only the ratios matter). */
    public Map<String, Double> categoryAffinity = new HashMap<>();

    /** Event time this context describes, epoch milliseconds. */
    public long asOf;

    public CustomerContext() {}

    public CustomerContext(
            List<String> cartProductIds,
            List<String> recentViewIds,
            List<String> boughtProductIds,
            Map<String, Double> categoryAffinity,
            long asOf) {
        this.cartProductIds = cartProductIds;
        this.recentViewIds = recentViewIds;
        this.boughtProductIds = boughtProductIds;
        this.categoryAffinity = categoryAffinity;
        this.asOf = asOf;
    }

    /**
     * The context of a recommendation seeded by one product (a browse abandonment): the product
     * stands where a cart would, so it is the only seed, at the strongest weight, its category is
     * the fallback's, and it is never recommended itself. No views, purchases or affinity.
     */
    public static CustomerContext seededBy(String productId, long asOf) {
        CustomerContext context = new CustomerContext();
        context.cartProductIds.add(productId);
        context.asOf = asOf;
        return context;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustomerContext other
                && asOf == other.asOf
                && Objects.equals(cartProductIds, other.cartProductIds)
                && Objects.equals(recentViewIds, other.recentViewIds)
                && Objects.equals(boughtProductIds, other.boughtProductIds)
                && Objects.equals(categoryAffinity, other.categoryAffinity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                cartProductIds, recentViewIds, boughtProductIds, categoryAffinity, asOf);
    }

    @Override
    public String toString() {
        return "CustomerContext{cart="
                + cartProductIds
                + ", views="
                + recentViewIds
                + ", bought="
                + boughtProductIds
                + ", affinity="
                + categoryAffinity
                + ", asOf="
                + asOf
                + "}";
    }
}
