package io.personalize.core.recommend;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What one interaction changes in one {@link ProductSlice}, sent to the slice's owner in a model
 * partitioned by product. An interaction with product {@code p} and companions {@code c1, c2} is
 * {@link #of three signals}: {@code p}'s own (popularity, category, pairs with {@code c1} and
 * {@code c2}) and one to each companion (its pair with {@code p}), exactly what {@link
 * CoOccurrenceModel#record} changes. A Flink POJO.
 */
public class ProductSignal {

    /**
     * The order a slice applies the signals of one instant in, so that the result does not depend
     * on their arrival: by time, then by the product interacted with, weight, category and
     * companions, as the single model orders interactions. Signals equal in all of these change a
     * slice identically.
     */
    public static final Comparator<ProductSignal> ORDER =
            Comparator.<ProductSignal>comparingLong(s -> s.at)
                    .thenComparing(
                            ProductSignal::interactedWith, Comparator.nullsFirst(String::compareTo))
                    .thenComparingDouble(s -> s.weight)
                    .thenComparing(s -> String.valueOf(s.category))
                    .thenComparing(s -> String.valueOf(s.companions));

    /** The product whose slice this changes. */
    public String productId;

    /** For a companion's signal, the product interacted with; null for the product's own. */
    public String sourceId;

    /** The product's category (own signals only). */
    public String category;

    public double weight;
    public long at;

    /** The other products of the session (own signals only). */
    public List<String> companions = new ArrayList<>();

    public ProductSignal() {}

    /** The product's own signal and one for each distinct companion (not itself, not null). */
    public static List<ProductSignal> of(
            String productId,
            String category,
            double weight,
            long at,
            Collection<String> companions) {
        List<ProductSignal> signals = new ArrayList<>();
        ProductSignal own = own(productId, category, weight, at);
        own.companions = companions == null ? new ArrayList<>() : new ArrayList<>(companions);
        signals.add(own);
        for (String other : distinctCompanions(productId, companions)) {
            ProductSignal pair = own(other, null, weight, at);
            pair.sourceId = productId;
            signals.add(pair);
        }
        return signals;
    }

    /** The product's own signal without companions: its popularity and category only. */
    public static ProductSignal own(String productId, String category, double weight, long at) {
        ProductSignal s = new ProductSignal();
        s.productId = Objects.requireNonNull(productId, "productId");
        s.category = category;
        s.weight = weight;
        s.at = at;
        return s;
    }

    /** The product interacted with: this slice's own product, or the source of a pair. */
    public String interactedWith() {
        return sourceId == null ? productId : sourceId;
    }

    /** Companions without duplicates, nulls and the product itself, by id. */
    static TreeSet<String> distinctCompanions(String productId, Collection<String> companions) {
        TreeSet<String> others = new TreeSet<>();
        if (companions != null) {
            for (String c : companions) {
                if (c != null && !c.equals(productId)) {
                    others.add(c);
                }
            }
        }
        return others;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductSignal other
                && Double.compare(weight, other.weight) == 0
                && at == other.at
                && Objects.equals(productId, other.productId)
                && Objects.equals(sourceId, other.sourceId)
                && Objects.equals(category, other.category)
                && Objects.equals(companions, other.companions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(productId, sourceId, at);
    }

    @Override
    public String toString() {
        return "ProductSignal{"
                + productId
                + (sourceId == null ? " own" : " with " + sourceId)
                + " "
                + weight
                + " @"
                + at
                + "}";
    }
}
