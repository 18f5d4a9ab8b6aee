package io.personalize.core.recommend;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of a model partitioned by product that one recommendation reads: the rows of the cart
 * products and recent views ({@link SeedRow}s, possibly cut to the candidates that can still be
 * picked, see {@link CandidatePlan}), the categories asked for and every subtask's popularity lists
 * ({@link FactsAnswer}s), merged. Given to the unchanged {@link Recommender}, it gives what the
 * whole model would.
 *
 * <p><b>Merging popularity lists.</b> Each subtask lists its products most popular first down to a
 * number of recommendable ones and every product as popular as the last ({@link
 * PopularityRanking#top}). So a subtask that left products out has listed every product at least as
 * popular as its last one; the merged list, by popularity then id, is exact down to the highest of
 * those last ones, and is cut there. Every product beyond could not be picked: the subtask that set
 * the cut listed enough recommendable products above it.
 */
public final class PartialModel implements ModelView {

    private static final Comparator<RankedProduct> MOST_POPULAR_FIRST =
            Comparator.comparingDouble((RankedProduct p) -> -p.popularity)
                    .thenComparing(p -> p.productId);

    private final Map<String, Map<String, Double>> rows = new HashMap<>();
    private final Map<String, String> categories = new HashMap<>();
    private final Map<String, Double> popularity = new HashMap<>();
    private final List<String> popular;
    private final String trendingCategory;
    private final List<String> trending;

    private PartialModel(
            Collection<SeedRow> seedRows,
            String trendingCategory,
            Collection<FactsAnswer> answers) {
        for (SeedRow row : seedRows) {
            rows.put(row.productId, row.neighbours());
            if (row.category != null) {
                categories.put(row.productId, row.category);
            }
        }
        List<List<RankedProduct>> popularLists = new ArrayList<>();
        List<Boolean> popularCuts = new ArrayList<>();
        List<List<RankedProduct>> trendingLists = new ArrayList<>();
        List<Boolean> trendingCuts = new ArrayList<>();
        for (FactsAnswer answer : answers) {
            for (int i = 0; i < answer.ids.size(); i++) {
                categories.put(answer.ids.get(i), answer.categories.get(i));
            }
            popularLists.add(answer.popular);
            popularCuts.add(answer.popularCut);
            trendingLists.add(answer.trending);
            trendingCuts.add(answer.trendingCut);
        }
        this.popular = merge(popularLists, popularCuts);
        this.trendingCategory = trendingCategory;
        this.trending = merge(trendingLists, trendingCuts);
    }

    /** The rows alone: enough to score co-occurrence candidates. */
    public static PartialModel of(Collection<SeedRow> rows) {
        return new PartialModel(rows, null, List.of());
    }

    /**
     * The rows with the answers of every subtask; {@code trendingCategory} is the category the
     * trending lists were asked for.
     */
    public static PartialModel of(
            Collection<SeedRow> rows, String trendingCategory, Collection<FactsAnswer> answers) {
        return new PartialModel(rows, trendingCategory, answers);
    }

    @Override
    public Map<String, Double> neighbours(String productId) {
        Map<String, Double> row = rows.get(productId);
        return row == null ? Map.of() : row;
    }

    @Override
    public List<String> trending(String category, int limit) {
        return Objects.equals(category, trendingCategory) && category != null
                ? trending.subList(0, Math.min(limit, trending.size()))
                : List.of();
    }

    @Override
    public List<String> popular(int limit) {
        return popular.subList(0, Math.min(limit, popular.size()));
    }

    @Override
    public double popularity(String productId) {
        return popularity.getOrDefault(productId, 0.0);
    }

    @Override
    public String categoryOf(String productId) {
        return productId == null ? null : categories.get(productId);
    }

    /** The subtasks' lists merged, cut where one of them may have left out a product. */
    private List<String> merge(List<List<RankedProduct>> lists, List<Boolean> cuts) {
        double cutAt = Double.NEGATIVE_INFINITY;
        List<RankedProduct> all = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            List<RankedProduct> list = lists.get(i);
            all.addAll(list);
            if (cuts.get(i) && !list.isEmpty()) {
                cutAt = Math.max(cutAt, list.get(list.size() - 1).popularity);
            }
        }
        all.sort(MOST_POPULAR_FIRST);
        List<String> ids = new ArrayList<>();
        for (RankedProduct p : all) {
            if (p.popularity < cutAt) {
                break;
            }
            ids.add(p.productId);
            popularity.put(p.productId, p.popularity);
            if (p.category != null) {
                categories.put(p.productId, p.category);
            }
        }
        return ids;
    }
}
