package io.personalize.core.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The second question of one recommendation, sent to every subtask of the partitioned model once
 * the cart's and recent views' rows are in: the categories of candidates the catalog does not know
 * ({@link #lookups}, each answered by its owner) and, when co-occurrence gives too few products,
 * each subtask's most popular products overall and in {@link #trendingCategory}, down to {@link
 * #wanted} ones that are neither {@link #excluded} nor out of stock. All as of {@link #at}. A Flink
 * POJO.
 */
public class FactsRequest {
    public String requestId;
    public String customerKey;
    public long at;

    /** Products whose category is asked for. */
    public List<String> lookups = new ArrayList<>();

    /** Whether the popularity lists are asked for. */
    public boolean lists;

    /** The category whose trending products are asked for; null for none. */
    public String trendingCategory;

    /** Products never recommended to this customer: the cart and what was bought. */
    public List<String> excluded = new ArrayList<>();

    /** How many recommendable products each list must reach (when there are that many). */
    public int wanted;

    public FactsRequest() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof FactsRequest other
                && at == other.at
                && lists == other.lists
                && wanted == other.wanted
                && Objects.equals(requestId, other.requestId)
                && Objects.equals(customerKey, other.customerKey)
                && Objects.equals(lookups, other.lookups)
                && Objects.equals(trendingCategory, other.trendingCategory)
                && Objects.equals(excluded, other.excluded);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, at);
    }

    @Override
    public String toString() {
        return "FactsRequest{"
                + requestId
                + " @"
                + at
                + ", "
                + lookups.size()
                + " lookups"
                + (lists ? ", lists, trending " + trendingCategory : "")
                + "}";
    }
}
