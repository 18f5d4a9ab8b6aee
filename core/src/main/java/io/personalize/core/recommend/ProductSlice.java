package io.personalize.core.recommend;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One product's part of a co-occurrence model partitioned by product: its category, its popularity
 * and its neighbours (the products that co-occurred with it, at most {@code maxNeighbours}).
 * Weights are stored scaled to {@link #anchor}, a time on a whole half-life (see {@link
 * HalfLives}); {@link ProductSlices} records and reads them. A Flink POJO, kept in keyed state.
 */
public class ProductSlice {

    /** The last category given for the product; null when none was. */
    public String category;

    /** Sum of the product's own interaction weights, stored at {@link #anchor}; 0 when none. */
    public double popularity;

    /** Co-occurring product to pair weight, stored at {@link #anchor}. */
    public Map<String, Double> neighbours = new HashMap<>();

    /** The time stored weights are scaled to: a whole number of half-lives since the epoch. */
    public long anchor;

    /** The newest event time recorded; {@link Long#MIN_VALUE} while nothing was. */
    public long newest = Long.MIN_VALUE;

    public ProductSlice() {}

    /** Whether anything was recorded. */
    public boolean started() {
        return newest != Long.MIN_VALUE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductSlice other
                && Double.compare(popularity, other.popularity) == 0
                && anchor == other.anchor
                && newest == other.newest
                && Objects.equals(category, other.category)
                && Objects.equals(neighbours, other.neighbours);
    }

    @Override
    public int hashCode() {
        return Objects.hash(category, popularity, neighbours, anchor, newest);
    }

    @Override
    public String toString() {
        return "ProductSlice{"
                + category
                + " "
                + popularity
                + " @"
                + anchor
                + ", "
                + neighbours.size()
                + " neighbours}";
    }
}
