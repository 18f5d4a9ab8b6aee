package io.personalize.core.recommend;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The co-occurrence model partitioned by product: records {@link ProductSignal}s into {@link
 * ProductSlice}s and reads them as of a time. Applied to every product's signals in {@link
 * ProductSignal#ORDER}, the slices hold what {@link CoOccurrenceModel} holds for each product (the
 * same pair weights, popularity and category, the same {@code maxNeighbours} kept per product, ties
 * by product id) up to rounding, whichever subtask owns which product.
 *
 * <p>Two differences from the single model: weights are read decayed to a given time (a request's
 * event time) instead of to the newest interaction; and there is no bound on the number of products
 * (the slices are keyed state and grow with the catalog, not with one subtask's memory).
 *
 * <p>Each slice has its own anchor on a whole half-life ({@link HalfLives}), so a value read as of
 * a time is the same to the bit whatever else the slice or its subtask recorded before.
 */
public final class ProductSlices implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long halfLifeMillis;
    private final int maxNeighbours;

    public ProductSlices(Duration halfLife, int maxNeighbours) {
        if (halfLife.toMillis() < 1 || maxNeighbours < 1) {
            throw new IllegalArgumentException(
                    "half-life and bound must be positive: " + halfLife + ", " + maxNeighbours);
        }
        this.halfLifeMillis = halfLife.toMillis();
        this.maxNeighbours = maxNeighbours;
    }

    /** Applies {@code signal} (one for {@code slice}'s product) to the slice. */
    public void record(ProductSlice slice, ProductSignal signal) {
        if (!(signal.weight > 0) || Double.isInfinite(signal.weight)) {
            throw new IllegalArgumentException("weight must be positive and finite: " + signal);
        }
        advance(slice, signal.at);
        double added = signal.weight * HalfLives.scale(signal.at - slice.anchor, halfLifeMillis);
        if (signal.sourceId == null) {
            slice.popularity += added;
            if (signal.category != null) {
                slice.category = signal.category;
            }
            for (String other :
                    ProductSignal.distinctCompanions(signal.productId, signal.companions)) {
                slice.neighbours.merge(other, added, Double::sum);
            }
        } else {
            slice.neighbours.merge(signal.sourceId, added, Double::sum);
        }
        trimNeighbours(slice);
    }

    /** The slice's neighbours with their weights decayed to {@code asOf}, in no order. */
    public Map<String, Double> neighbours(ProductSlice slice, long asOf) {
        if (slice == null || !slice.started()) {
            return Map.of();
        }
        double factor = factor(slice, asOf);
        Map<String, Double> decayed = new HashMap<>(slice.neighbours.size() * 2);
        slice.neighbours.forEach((id, w) -> decayed.put(id, w * factor));
        return decayed;
    }

    /** The popularity decayed to {@code asOf}; 0 for a product without interactions of its own. */
    public double popularity(ProductSlice slice, long asOf) {
        return slice == null || !slice.started()
                ? 0.0
                : slice.popularity * factor(slice.anchor, asOf);
    }

    /**
     * {@code stored}, kept at {@code anchor}, decayed to {@code asOf}: for one slice and one time
     * the same bits whichever way it is computed.
     */
    double decayed(double stored, long anchor, long asOf) {
        return stored * factor(anchor, asOf);
    }

    /** The start of the whole half-life {@code at} is in: an anchor values can be moved to. */
    long align(long at) {
        return HalfLives.align(at, halfLifeMillis);
    }

    long halfLifeMillis() {
        return halfLifeMillis;
    }

    /** What the slice's stored weights are multiplied by to read them as of {@code asOf}. */
    double factor(ProductSlice slice, long asOf) {
        return factor(slice.anchor, asOf);
    }

    private double factor(long anchor, long asOf) {
        return HalfLives.scale(anchor - asOf, halfLifeMillis);
    }

    /** Moves the newest time; past {@link HalfLives#REBASE_AFTER} half-lives, the anchor too. */
    private void advance(ProductSlice slice, long at) {
        if (!slice.started()) {
            slice.anchor = HalfLives.align(at, halfLifeMillis);
            slice.newest = at;
            return;
        }
        if (at <= slice.newest) {
            return;
        }
        slice.newest = at;
        if ((slice.newest - slice.anchor) / halfLifeMillis <= HalfLives.REBASE_AFTER) {
            return;
        }
        long anchor = HalfLives.align(slice.newest, halfLifeMillis);
        double factor = factor(slice.anchor, anchor); // a power of two: exact
        slice.popularity *= factor;
        slice.neighbours.replaceAll((id, w) -> w * factor);
        slice.anchor = anchor;
    }

    /** Drops the weakest neighbours (the greatest id among equals) down to the bound. */
    private void trimNeighbours(ProductSlice slice) {
        while (slice.neighbours.size() > maxNeighbours) {
            String weakest =
                    Collections.max(slice.neighbours.entrySet(), Ranking.BEST_FIRST).getKey();
            slice.neighbours.remove(weakest);
        }
    }
}
