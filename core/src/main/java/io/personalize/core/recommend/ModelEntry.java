package io.personalize.core.recommend;

import java.util.Objects;

/**
 * One piece of a {@link CoOccurrenceModel} for checkpoints: a product with its popularity and
 * category ({@link #PRODUCT}), or one co-occurrence weight from a product to another ({@link
 * #PAIR}). {@code weight} is the decayed weight as of {@code at}; in a checkpoint, the weight
 * stored at the {@link #CLOCK}'s anchor. A Flink POJO.
 */
public class ModelEntry {
    public static final String PRODUCT = "product";
    public static final String PAIR = "pair";

    /**
     * The decay clock of a checkpoint ({@link CoOccurrenceModel#checkpoint()}): {@code at} is the
     * newest time, {@code weight} the anchor time the other entries' weights are stored at.
     */
    public static final String CLOCK = "clock";

    /** {@link #PRODUCT} or {@link #PAIR}. */
    public String kind;

    public String productId;

    /** The co-occurring product of a {@link #PAIR}; null for a {@link #PRODUCT}. */
    public String otherId;

    /** The category of a {@link #PRODUCT}, null when unknown or for a {@link #PAIR}. */
    public String category;

    public double weight;
    public long at;

    public ModelEntry() {}

    public ModelEntry(
            String kind,
            String productId,
            String otherId,
            String category,
            double weight,
            long at) {
        this.kind = kind;
        this.productId = productId;
        this.otherId = otherId;
        this.category = category;
        this.weight = weight;
        this.at = at;
    }

    public static ModelEntry product(String productId, String category, double weight, long at) {
        return new ModelEntry(PRODUCT, productId, null, category, weight, at);
    }

    public static ModelEntry pair(String productId, String otherId, double weight, long at) {
        return new ModelEntry(PAIR, productId, otherId, null, weight, at);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelEntry other
                && Double.compare(weight, other.weight) == 0
                && at == other.at
                && Objects.equals(kind, other.kind)
                && Objects.equals(productId, other.productId)
                && Objects.equals(otherId, other.otherId)
                && Objects.equals(category, other.category);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, productId, otherId, category, weight, at);
    }

    @Override
    public String toString() {
        return "ModelEntry{"
                + kind
                + " "
                + productId
                + (otherId == null ? "" : "->" + otherId)
                + (category == null ? "" : " [" + category + "]")
                + " "
                + weight
                + " @"
                + at
                + "}";
    }
}
