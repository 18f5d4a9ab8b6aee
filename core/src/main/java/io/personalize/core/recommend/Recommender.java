package io.personalize.core.recommend;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;

/**
 * Picks the next products to show a customer: products that co-occur with the cart and recent
 * views, boosted by the customer's category affinity; when there are too few, products trending in
 * the customer's top category; then products popular across the shop. Stateless apart from its
 * configuration, so one instance serves every customer.
 *
 * <p>Never recommended: products in the cart, products already bought, products the catalog marks
 * out of stock. Products the catalog does not know, or whose stock it does not know, are
 * recommended with the fields it does know. The result lists co-occurrence picks first, then
 * trending, then popular; within each, higher score first, ties by product id.
 *
 * <pre>{@code
 * List<Recommendation> next = new Recommender(3).recommend(customer, model, catalog);
 * }</pre>
 */
public final class Recommender implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_COUNT = 3;

    /** How much a cart product's neighbours count: the cart is the strongest intent signal. */
    public static final double CART_WEIGHT = 1.0;

    /** How much a recent view's neighbours count: a view is a weaker signal than a cart add. */
    public static final double VIEW_WEIGHT = 0.5;

    private final int count;

    public Recommender() {
        this(DEFAULT_COUNT);
    }

    public Recommender(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        this.count = count;
    }

    public int count() {
        return count;
    }

    /** Up to {@link #count()} recommendations; fewer only when the model knows too few products. */
    public List<Recommendation> recommend(
            CustomerContext customer, ModelView model, ProductCatalog catalog) {
        Pick pick = new Pick(Objects.requireNonNull(customer, "customer"), model, catalog);
        Map<String, Double> coOccurring = pick.coOccurrenceScores();
        pick.fill(
                Recommendation.CO_OCCURRENCE,
                limit -> coOccurring.keySet().stream().limit(limit).toList(),
                coOccurring::get);
        String category = pick.topCategory();
        if (category != null) {
            pick.fill(
                    Recommendation.TRENDING_CATEGORY,
                    limit -> model.trending(category, limit),
                    model::popularity);
        }
        pick.fill(Recommendation.POPULAR, model::popular, model::popularity);
        return pick.picked;
    }

    /** One call of {@link #recommend}: the customer's signals and what has been picked so far. */
    private final class Pick {
        private final ModelView model;
        private final ProductCatalog catalog;
        private final List<String> cart;
        private final List<String> views;
        private final Map<String, Double> affinity;
        private final Set<String> excluded = new HashSet<>();
        private final List<Recommendation> picked = new ArrayList<>();

        Pick(CustomerContext customer, ModelView model, ProductCatalog catalog) {
            this.model = Objects.requireNonNull(model, "model");
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            this.cart = orEmpty(customer.cartProductIds);
            this.views = orEmpty(customer.recentViewIds);
            this.affinity = normalised(customer.categoryAffinity);
            excluded.addAll(cart);
            excluded.addAll(orEmpty(customer.boughtProductIds));
        }

        /**
         * Sum over the cart and recent views of their neighbour weights, a cart product counting
         * {@link #CART_WEIGHT} and a view {@link #VIEW_WEIGHT} (a product in both counts once, as
         * cart), each sum times {@code 1 + affinity} of the candidate's category. Best first.
         */
        Map<String, Double> coOccurrenceScores() {
            Map<String, Double> scores = sumOfNeighbours(cart, views, model);
            scores.replaceAll((id, s) -> s * (1.0 + affinity.getOrDefault(categoryOf(id), 0.0)));
            return Ranking.bestFirst(scores, 1.0);
        }

        /**
         * The category with the highest affinity (ties by name); without affinity, the category of
         * the newest cart product, else of the newest recent view, that has one.
         */
        String topCategory() {
            return Recommender.topCategory(affinity, cart, views, this::categoryOf);
        }

        /**
         * Adds recommendable products from {@code ranked} (asked for a growing number until enough
         * are found or it has no more) until {@link #count} are picked.
         */
        void fill(String source, IntFunction<List<String>> ranked, ToDoubleFunction<String> score) {
            for (int limit = count + excluded.size() + picked.size(); ; limit *= 2) {
                List<String> ids = ranked.apply(limit);
                for (String id : ids) {
                    if (picked.size() >= count) {
                        return;
                    }
                    if (recommendable(id)) {
                        picked.add(recommendation(id, source, score.applyAsDouble(id)));
                    }
                }
                if (picked.size() >= count || ids.size() < limit) {
                    return;
                }
            }
        }

        private boolean recommendable(String id) {
            return !excluded.contains(id)
                    && !catalog.outOfStock(id)
                    && picked.stream().noneMatch(r -> r.productId.equals(id));
        }

        private Recommendation recommendation(String id, String source, double score) {
            ProductInfo info = catalog.info(id);
            if (info == null) {
                info = new ProductInfo();
            }
            return new Recommendation(
                    id, info.name, categoryOf(id), info.price, info.imageUrl, source, score);
        }

        private String categoryOf(String id) {
            String category = catalog.category(id);
            return category != null ? category : model.categoryOf(id);
        }
    }

    /**
     * The category with the highest {@link #normalised} affinity (ties by name); without affinity,
     * the category of the newest cart product, else of the newest recent view, that has one.
     */
    static String topCategory(
            Map<String, Double> affinity,
            List<String> cart,
            List<String> views,
            Function<String, String> categoryOf) {
        return affinity.entrySet().stream()
                .min(Ranking.BEST_FIRST)
                .map(Map.Entry::getKey)
                .orElseGet(() -> newestCategory(cart, views, categoryOf));
    }

    private static String newestCategory(
            List<String> cart, List<String> views, Function<String, String> categoryOf) {
        for (List<String> ids : List.of(cart, views)) {
            for (int i = ids.size() - 1; i >= 0; i--) {
                String category = categoryOf.apply(ids.get(i));
                if (category != null) {
                    return category;
                }
            }
        }
        return null;
    }

    /**
     * The co-occurrence scores before the affinity boost: per candidate, the sum over the cart and
     * recent views (a product in both counts once, as cart) of its weight with each, times {@link
     * #CART_WEIGHT} or {@link #VIEW_WEIGHT}, added up in the order views then cart.
     */
    static Map<String, Double> sumOfNeighbours(
            List<String> cart, List<String> views, ModelView model) {
        Map<String, Double> seeds = new LinkedHashMap<>();
        views.forEach(id -> seeds.put(id, VIEW_WEIGHT));
        cart.forEach(id -> seeds.put(id, CART_WEIGHT));
        Map<String, Double> scores = new HashMap<>();
        for (Map.Entry<String, Double> seed : seeds.entrySet()) {
            for (Map.Entry<String, Double> n : model.neighbours(seed.getKey()).entrySet()) {
                scores.merge(n.getKey(), seed.getValue() * n.getValue(), Double::sum);
            }
        }
        return scores;
    }

    /** Affinities divided by the largest, so the top category is 1; none when none is positive. */
    static Map<String, Double> normalised(Map<String, Double> affinity) {
        Map<String, Double> result = new HashMap<>();
        if (affinity == null) {
            return result;
        }
        affinity.forEach(
                (category, value) -> {
                    if (category != null && value != null && value > 0 && !value.isInfinite()) {
                        result.put(category, value);
                    }
                });
        double max = result.values().stream().mapToDouble(Double::doubleValue).max().orElse(1.0);
        result.replaceAll((category, value) -> value / max);
        return result;
    }

    static <T> List<T> orEmpty(Collection<T> values) {
        return values == null ? List.of() : new ArrayList<>(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Recommender other && count == other.count;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(count);
    }
}
