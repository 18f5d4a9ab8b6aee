package io.personalize.core.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a recommendation still needs once the rows of its cart products and recent views are in (the
 * first round of the partitioned model): which candidates' categories to ask for, whether the
 * popularity lists are needed and for which category, and the rows cut to the candidates that can
 * still be picked.
 *
 * <p>A candidate's co-occurrence score is its sum of weights times {@code 1 + affinity} of its
 * category, a factor between 1 and 2 ({@link Recommender}: affinities are normalised to at most 1).
 * So once {@code count} recommendable candidates have a sum of at least {@code m}, a candidate
 * whose doubled sum is below {@code m} cannot be picked, nor change what is: it is left out, and
 * its category is not asked for. Categories the catalog or the rows already give are not asked for
 * either. The lists are only asked for when fewer than {@code count} candidates are recommendable.
 */
public final class CandidatePlan {

    /** The rows, each cut to the candidates kept. */
    public final List<SeedRow> rows;

    /** Kept candidates whose category neither the catalog nor the rows give, by id. */
    public final List<String> lookups;

    /** Whether co-occurrence gives too few products, so the popularity lists are needed. */
    public final boolean lists;

    /** The category of the trending fallback when the lists are needed; null otherwise or none. */
    public final String trendingCategory;

    /** The cart and the products bought: never recommended. */
    public final List<String> excluded;

    private CandidatePlan(
            List<SeedRow> rows,
            List<String> lookups,
            boolean lists,
            String trendingCategory,
            List<String> excluded) {
        this.rows = rows;
        this.lookups = lookups;
        this.lists = lists;
        this.trendingCategory = trendingCategory;
        this.excluded = excluded;
    }

    /** The products whose rows a recommendation for {@code customer} reads, each once. */
    public static List<String> seeds(CustomerContext customer) {
        Set<String> seeds = new LinkedHashSet<>();
        for (List<String> ids :
                List.of(
                        Recommender.orEmpty(customer.recentViewIds),
                        Recommender.orEmpty(customer.cartProductIds))) {
            for (String id : ids) {
                if (id != null) {
                    seeds.add(id);
                }
            }
        }
        return new ArrayList<>(seeds);
    }

    /** The plan for {@code customer}, given the {@link #seeds rows} of every seed. */
    public static CandidatePlan of(
            CustomerContext customer, List<SeedRow> rows, ProductCatalog catalog, int count) {
        List<String> cart = Recommender.orEmpty(customer.cartProductIds);
        List<String> views = Recommender.orEmpty(customer.recentViewIds);
        Set<String> excluded = new HashSet<>(cart);
        excluded.addAll(Recommender.orEmpty(customer.boughtProductIds));
        PartialModel seedsOnly = PartialModel.of(rows);
        Map<String, Double> sums = Recommender.sumOfNeighbours(cart, views, seedsOnly);
        List<String> recommendable = new ArrayList<>();
        sums.keySet().stream()
                .filter(id -> !excluded.contains(id) && !catalog.outOfStock(id))
                .forEach(recommendable::add);
        recommendable.sort(Comparator.comparingDouble(id -> -sums.get(id)));
        double atLeast =
                recommendable.size() >= count
                        ? sums.get(recommendable.get(count - 1))
                        : Double.NEGATIVE_INFINITY;
        Map<String, Double> affinity = Recommender.normalised(customer.categoryAffinity);
        double boost = affinity.isEmpty() ? 1.0 : 2.0;
        Set<String> kept = new HashSet<>();
        Set<String> seeds = new HashSet<>();
        rows.forEach(r -> seeds.add(r.productId));
        TreeSet<String> lookups = new TreeSet<>();
        for (String id : recommendable) {
            if (sums.get(id) * boost >= atLeast) {
                kept.add(id);
                if (catalog.category(id) == null && !seeds.contains(id)) {
                    lookups.add(id);
                }
            }
        }
        List<SeedRow> cut = new ArrayList<>();
        for (SeedRow row : rows) {
            Map<String, Double> neighbours = new HashMap<>();
            seedsOnly
                    .neighbours(row.productId)
                    .forEach(
                            (id, w) -> {
                                if (kept.contains(id)) {
                                    neighbours.put(id, w);
                                }
                            });
            cut.add(row.with(neighbours));
        }
        boolean lists = recommendable.size() < count;
        String trending =
                lists
                        ? Recommender.topCategory(
                                affinity,
                                cart,
                                views,
                                id -> {
                                    String c = catalog.category(id);
                                    return c != null ? c : seedsOnly.categoryOf(id);
                                })
                        : null;
        excluded.remove(null);
        return new CandidatePlan(
                cut,
                new ArrayList<>(lookups),
                lists,
                trending,
                new ArrayList<>(new TreeSet<>(excluded)));
    }

    /** Whether the second round (a {@link FactsRequest}) is needed. */
    public boolean needsFacts() {
        return lists || !lookups.isEmpty();
    }

    /** The second round's question, for a recommendation of {@code count} products. */
    public FactsRequest request(String requestId, String customerKey, long at, int count) {
        FactsRequest request = new FactsRequest();
        request.requestId = requestId;
        request.customerKey = customerKey;
        request.at = at;
        request.lookups = new ArrayList<>(lookups);
        request.lists = lists;
        request.trendingCategory = trendingCategory;
        request.excluded = lists ? new ArrayList<>(excluded) : new ArrayList<>();
        request.wanted = count;
        return request;
    }
}
