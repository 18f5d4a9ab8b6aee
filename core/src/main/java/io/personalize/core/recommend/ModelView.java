package io.personalize.core.recommend;

import java.util.List;
import java.util.Map;

/**
 * What the {@link Recommender} reads of a co-occurrence model: the whole {@link CoOccurrenceModel},
 * or the part of a model partitioned by product that one recommendation needs ({@link
 * PartialModel}).
 */
public interface ModelView {

    /** Co-occurring products with their weights; empty when the product is unknown. */
    Map<String, Double> neighbours(String productId);

    /** Up to {@code limit} products of the category, most popular first. */
    List<String> trending(String category, int limit);

    /** Up to {@code limit} products, most popular first. */
    List<String> popular(int limit);

    /** The product's popularity; 0 when unknown. */
    double popularity(String productId);

    /** The last category given for the product, or null. */
    String categoryOf(String productId);
}
