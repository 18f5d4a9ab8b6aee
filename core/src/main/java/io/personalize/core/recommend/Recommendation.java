package io.personalize.core.recommend;

import java.util.Objects;

/** One recommended product and where it came from. A Flink POJO. */
public class Recommendation {
    public static final String CO_OCCURRENCE = "co_occurrence";
    public static final String TRENDING_CATEGORY = "trending_category";
    public static final String POPULAR = "popular";

    public String productId;
    public String name;
    public String category;
    public Double price;
    public String imageUrl;
    public String source;
    public double score;

    public Recommendation() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof Recommendation other
                && Double.compare(score, other.score) == 0
                && Objects.equals(productId, other.productId)
                && Objects.equals(name, other.name)
                && Objects.equals(category, other.category)
                && Objects.equals(price, other.price)
                && Objects.equals(imageUrl, other.imageUrl)
                && Objects.equals(source, other.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(productId, source, score);
    }
}
