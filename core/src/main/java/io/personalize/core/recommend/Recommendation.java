package io.personalize.core.recommend;

import java.util.Objects;

/**
 * One recommended product, with what the catalog knows about it (null when unknown), where the
 * recommendation came from and its score within that source. A Flink POJO.
 */
public class Recommendation {
    /** Bought or viewed together with the customer's cart and recent views. */
    public static final String CO_OCCURRENCE = "co_occurrence";

    /** Popular lately in the customer's top category. */
    public static final String TRENDING_CATEGORY = "trending_category";

    /** Popular lately across the shop. */
    public static final String POPULAR = "popular";

    public String productId;
    public String name;
    public String category;
    public Double price;
    public String imageUrl;

    /** {@link #CO_OCCURRENCE}, {@link #TRENDING_CATEGORY} or {@link #POPULAR}. */
    public String source;

    /** Higher is better; comparable only between recommendations of the same source. */
    public double score;

    public Recommendation() {}

    public Recommendation(
            String productId,
            String name,
            String category,
            Double price,
            String imageUrl,
            String source,
            double score) {
        this.productId = productId;
        this.name = name;
        this.category = category;
        this.price = price;
        this.imageUrl = imageUrl;
        this.source = source;
        this.score = score;
    }

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
        return Objects.hash(productId, name, category, price, imageUrl, source, score);
    }

    @Override
    public String toString() {
        return "Recommendation{" + productId + " " + source + " " + score + "}";
    }
}
