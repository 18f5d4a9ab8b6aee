package io.personalize.core.recommend;

import java.util.Objects;

/**
 * One product of a popularity list as a subtask of the partitioned model answers it: its popularity
 * as of the request's time and its category. A Flink POJO.
 */
public class RankedProduct {
    public String productId;
    public String category;
    public double popularity;

    public RankedProduct() {}

    public RankedProduct(String productId, String category, double popularity) {
        this.productId = productId;
        this.category = category;
        this.popularity = popularity;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankedProduct other
                && Double.compare(popularity, other.popularity) == 0
                && Objects.equals(productId, other.productId)
                && Objects.equals(category, other.category);
    }

    @Override
    public int hashCode() {
        return Objects.hash(productId, category, popularity);
    }

    @Override
    public String toString() {
        return productId + "=" + popularity;
    }
}
