package io.personalize.core.recommend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What recommendations know of one customer. A Flink POJO. */
public class CustomerContext {
    public List<String> cartProductIds = new ArrayList<>();
    public List<String> recentViewIds = new ArrayList<>();
    public List<String> boughtProductIds = new ArrayList<>();
    public Map<String, Double> categoryAffinity = new HashMap<>();
    public long asOf;

    public CustomerContext() {}

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
        return Objects.hash(cartProductIds, recentViewIds, boughtProductIds, asOf);
    }
}
