package io.personalize.core.recommend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What shoppers do together: which products co-occur in sessions (item-to-item), and which are
 * popular overall and within a category, all with exponential time decay by event time: the whole
 * model in one place. The Flink job partitions the same model by product ({@link ProductSlices},
 * {@link PartialModel}), which recommends what this one does. Mutable and not thread-safe.
 *
 * <p>Weights decay with the configured half-life relative to the newest event time seen (see {@link
 * DecayClock}), so a weight recorded one half-life before the newest event counts half. Memory is
 * bounded: each product keeps its {@code maxNeighbours} strongest neighbours, and the model keeps
 * its {@code maxProducts} most popular products. Every ranking and every eviction breaks ties by
 * product id, so results never depend on hash map order.
 *
 * <pre>{@code
 * CoOccurrenceModel model = new CoOccurrenceModel(Duration.ofDays(7), 50, 100_000);
 * model.record("p-1", "shoes", 3.0, cartAddedAt, List.of("p-2", "p-3"));
 * Map<String, Double> alsoBought = model.neighbours("p-1");
 * }</pre>
 */
public final class CoOccurrenceModel implements ModelView {

    private final Duration halfLife;
    private final int maxNeighbours;
    private final int maxProducts;
    private final DecayClock clock;
    private final Map<String, ModelNode> products = new HashMap<>();
    private final PopularityIndex index = new PopularityIndex();

    public CoOccurrenceModel(Duration halfLife, int maxNeighbours, int maxProducts) {
        if (maxNeighbours < 1 || maxProducts < 1) {
            throw new IllegalArgumentException(
                    "bounds must be positive: " + maxNeighbours + ", " + maxProducts);
        }
        this.halfLife = Objects.requireNonNull(halfLife, "halfLife");
        this.maxNeighbours = maxNeighbours;
        this.maxProducts = maxProducts;
        this.clock = new DecayClock(halfLife);
    }

    /**
     * Records one interaction with {@code productId} at event time {@code at}: adds {@code weight}
     * to its popularity (and so to the trending products of {@code category}, when given), and to
     * the pair weight in both directions between it and each distinct companion (other products of
     * the same session; the product itself and nulls are skipped).
     */
    public void record(
            String productId,
            String category,
            double weight,
            long at,
            Collection<String> companions) {
        Objects.requireNonNull(productId, "productId");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be positive and finite: " + weight);
        }
        rescale(clock.advance(at));
        double added = clock.stored(weight, at);
        ModelNode node = node(productId);
        index.update(node, node.popularity + added, category);
        TreeSet<String> others = new TreeSet<>();
        for (String c : companions == null ? List.<String>of() : companions) {
            if (c != null && !c.equals(productId)) {
                others.add(c);
            }
        }
        for (String other : others) {
            node.neighbours.merge(other, added, Double::sum);
            ModelNode otherNode = node(other);
            otherNode.neighbours.merge(productId, added, Double::sum);
            trimNeighbours(otherNode);
        }
        trimNeighbours(node);
        evictLeastPopular();
    }

    /** Co-occurring products with their weights as of the newest time, strongest first. */
    @Override
    public Map<String, Double> neighbours(String productId) {
        ModelNode node = productId == null ? null : products.get(productId);
        if (node == null) {
            return Map.of();
        }
        return Collections.unmodifiableMap(
                Ranking.bestFirst(node.neighbours, clock.currentFactor()));
    }

    /** Up to {@code limit} products of the category, most popular first. */
    @Override
    public List<String> trending(String category, int limit) {
        return index.top(category, limit);
    }

    /** Up to {@code limit} products, most popular first. */
    @Override
    public List<String> popular(int limit) {
        return index.top(limit);
    }

    /** The last category given for the product, or null. */
    @Override
    public String categoryOf(String productId) {
        ModelNode node = productId == null ? null : products.get(productId);
        return node == null ? null : node.category;
    }

    /** The product's popularity as of the newest time; 0 when unknown. */
    @Override
    public double popularity(String productId) {
        ModelNode node = productId == null ? null : products.get(productId);
        return node == null ? 0.0 : node.popularity * clock.currentFactor();
    }

    /** How many products the model holds, including those only seen as companions. */
    public int size() {
        return products.size();
    }

    /** The newest event time recorded, or {@link Long#MIN_VALUE} for an empty model. */
    public long newestAt() {
        return clock.started() ? clock.newest() : Long.MIN_VALUE;
    }

    /**
     * The whole model as entries for a checkpoint, weights as of the newest time, by product id:
     * each product's {@link ModelEntry#PRODUCT} entry followed by its {@link ModelEntry#PAIR}s.
     */
    public List<ModelEntry> entries() {
        List<ModelEntry> entries = new ArrayList<>();
        double factor = clock.currentFactor();
        long at = newestAt();
        for (ModelNode node : new TreeMap<>(products).values()) {
            entries.add(ModelEntry.product(node.id, node.category, node.popularity * factor, at));
            for (Map.Entry<String, Double> pair : new TreeMap<>(node.neighbours).entrySet()) {
                entries.add(ModelEntry.pair(node.id, pair.getKey(), pair.getValue() * factor, at));
            }
        }
        return entries;
    }

    /**
     * The whole model for a checkpoint: the weights as stored (scaled to the decay clock's anchor)
     * and a {@link ModelEntry#CLOCK} entry, so that a {@link #restore restored} model goes on with
     * exactly the same numbers, not merely equal ones up to rounding.
     */
    public List<ModelEntry> checkpoint() {
        List<ModelEntry> entries = new ArrayList<>();
        if (!clock.started()) {
            return entries;
        }
        long anchor = clock.anchor();
        entries.add(new ModelEntry(ModelEntry.CLOCK, null, null, null, anchor, clock.newest()));
        for (ModelNode node : new TreeMap<>(products).values()) {
            entries.add(ModelEntry.product(node.id, node.category, node.popularity, anchor));
            for (Map.Entry<String, Double> pair : new TreeMap<>(node.neighbours).entrySet()) {
                entries.add(ModelEntry.pair(node.id, pair.getKey(), pair.getValue(), anchor));
            }
        }
        return entries;
    }

    /**
     * A model equal to the one whose {@link #entries()} or {@link #checkpoint()} these are (bounds
     * applied again).
     */
    public static CoOccurrenceModel restore(
            Duration halfLife, int maxNeighbours, int maxProducts, List<ModelEntry> entries) {
        CoOccurrenceModel model = new CoOccurrenceModel(halfLife, maxNeighbours, maxProducts);
        if (entries.isEmpty()) {
            return model;
        }
        ModelEntry clock =
                entries.stream()
                        .filter(e -> ModelEntry.CLOCK.equals(e.kind))
                        .findFirst()
                        .orElse(null);
        if (clock != null) {
            // a checkpoint: weights stored at the clock's anchor, taken as they are
            model.clock.restore((long) clock.weight, clock.at);
        } else {
            // Anchoring at the newest time stores the entries' weights unchanged, so a round trip
            // gives back exactly the same entries.
            model.clock.startAt(entries.stream().mapToLong(e -> e.at).max().getAsLong());
        }
        for (ModelEntry e : entries) {
            if (e == clock) {
                continue;
            }
            ModelNode node = model.node(e.productId);
            double stored = model.clock.stored(e.weight, e.at);
            switch (String.valueOf(e.kind)) {
                case ModelEntry.PRODUCT ->
                        model.index.update(node, node.popularity + stored, e.category);
                case ModelEntry.PAIR -> node.neighbours.merge(e.otherId, stored, Double::sum);
                default -> throw new IllegalArgumentException("unknown entry kind: " + e);
            }
        }
        model.products.values().forEach(model::trimNeighbours);
        model.evictLeastPopular();
        return model;
    }

    /** Equal when the settings and {@link #entries()} are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CoOccurrenceModel other
                && halfLife.equals(other.halfLife)
                && maxNeighbours == other.maxNeighbours
                && maxProducts == other.maxProducts
                && entries().equals(other.entries());
    }

    @Override
    public int hashCode() {
        return Objects.hash(halfLife, maxNeighbours, maxProducts, entries());
    }

    @Override
    public String toString() {
        return "CoOccurrenceModel{" + products.size() + " products, half-life " + halfLife + "}";
    }

    private ModelNode node(String id) {
        ModelNode node = products.get(id);
        if (node == null) {
            node = new ModelNode(id);
            products.put(id, node);
            index.add(node);
        }
        return node;
    }

    /** Drops the weakest neighbours (the greatest id among equals) down to the bound. */
    private void trimNeighbours(ModelNode node) {
        while (node.neighbours.size() > maxNeighbours) {
            String weakest =
                    Collections.max(node.neighbours.entrySet(), Ranking.BEST_FIRST).getKey();
            node.neighbours.remove(weakest);
        }
    }

    /** Drops the least popular products (the greatest id among equals) down to the bound. */
    private void evictLeastPopular() {
        while (products.size() > maxProducts) {
            ModelNode last = index.leastPopular();
            index.remove(last);
            products.remove(last.id);
        }
    }

    /** Applies a {@link DecayClock} rebase; the index is rebuilt as tiny values may now tie. */
    private void rescale(double factor) {
        if (factor == 1.0) {
            return;
        }
        for (ModelNode node : products.values()) {
            node.popularity *= factor;
            node.neighbours.replaceAll((id, w) -> w * factor);
        }
        index.rebuild(products.values());
    }
}
