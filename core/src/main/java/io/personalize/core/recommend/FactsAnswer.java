package io.personalize.core.recommend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One subtask's answer to a {@link FactsRequest}: the categories of the asked products it owns, and
 * its part of the popularity lists (with whether it left more out). A Flink POJO.
 */
public class FactsAnswer {
    public String requestId;
    public String customerKey;

    /** Which subtask answers, and of how many: the merge waits for all of them. */
    public int subtask;

    public int subtasks;

    /** Products asked for, owned here, with a known category; {@link #categories} alike. */
    public List<String> ids = new ArrayList<>();

    public List<String> categories = new ArrayList<>();

    public List<RankedProduct> popular = new ArrayList<>();
    public boolean popularCut;
    public List<RankedProduct> trending = new ArrayList<>();
    public boolean trendingCut;

    public FactsAnswer() {}

    /**
     * What subtask {@code subtask} of {@code subtasks} answers from its {@code ranking} and its
     * slices ({@code categoryOwned}: a product's category when this subtask owns it and knows one,
     * else null); products out of stock in {@code catalog} do not count as recommendable.
     */
    public static FactsAnswer of(
            FactsRequest request,
            PopularityRanking ranking,
            Function<String, String> categoryOwned,
            ProductCatalog catalog,
            int subtask,
            int subtasks) {
        FactsAnswer answer = new FactsAnswer();
        answer.requestId = request.requestId;
        answer.customerKey = request.customerKey;
        answer.subtask = subtask;
        answer.subtasks = subtasks;
        for (String id : request.lookups) {
            String category = categoryOwned.apply(id);
            if (category != null) {
                answer.ids.add(id);
                answer.categories.add(category);
            }
        }
        if (request.lists) {
            Set<String> excluded = new HashSet<>(request.excluded);
            Predicate<String> recommendable =
                    id -> !excluded.contains(id) && !catalog.outOfStock(id);
            PopularityRanking.Top popular =
                    ranking.top(null, request.at, recommendable, request.wanted);
            answer.popular = popular.products();
            answer.popularCut = popular.cut();
            if (request.trendingCategory != null) {
                PopularityRanking.Top trending =
                        ranking.top(
                                request.trendingCategory,
                                request.at,
                                recommendable,
                                request.wanted);
                answer.trending = trending.products();
                answer.trendingCut = trending.cut();
            }
        }
        return answer;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FactsAnswer other
                && subtask == other.subtask
                && subtasks == other.subtasks
                && popularCut == other.popularCut
                && trendingCut == other.trendingCut
                && Objects.equals(requestId, other.requestId)
                && Objects.equals(customerKey, other.customerKey)
                && Objects.equals(ids, other.ids)
                && Objects.equals(categories, other.categories)
                && Objects.equals(popular, other.popular)
                && Objects.equals(trending, other.trending);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, subtask);
    }

    @Override
    public String toString() {
        return "FactsAnswer{" + requestId + " " + subtask + "/" + subtasks + "}";
    }
}
