package io.personalize.core.recommend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The model partitioned by product over {@code subtasks} subtasks, run in plain Java the way the
 * Flink job runs it: every subtask owns the slices of its products and ranks them; an instant's
 * signals reach the owners in any order and are applied in {@link ProductSignal#ORDER}; a
 * recommendation asks the owners of its seeds for their rows, plans, asks every subtask for
 * categories and lists when the plan needs them, and merges.
 */
final class PartitionedShop {
    private final int subtasks;
    private final ProductSlices slices;
    private final Recommender recommender;
    private final List<Map<String, ProductSlice>> owned = new ArrayList<>();
    private final List<PopularityRanking> rankings = new ArrayList<>();
    private final List<List<ProductSignal>> waiting = new ArrayList<>();
    private final Random arrival;

    PartitionedShop(int subtasks, Duration halfLife, int maxNeighbours, int count, long seed) {
        this.subtasks = subtasks;
        this.slices = new ProductSlices(halfLife, maxNeighbours);
        this.recommender = new Recommender(count);
        this.arrival = new Random(seed);
        for (int i = 0; i < subtasks; i++) {
            owned.add(new HashMap<>());
            rankings.add(new PopularityRanking(slices));
            waiting.add(new ArrayList<>());
        }
    }

    /** The subtask owning {@code productId}: a hash unlike Flink's, any will do. */
    int owner(String productId) {
        return Math.floorMod(productId.hashCode() * 31 + 7, subtasks);
    }

    /** One interaction: its signals wait at their owners until {@link #applyWaiting}. */
    void interaction(
            String productId, String category, double weight, long at, List<String> companions) {
        for (ProductSignal s : ProductSignal.of(productId, category, weight, at, companions)) {
            waiting.get(owner(s.productId)).add(s);
        }
    }

    /** Applies what waits, each subtask in {@link ProductSignal#ORDER} after arriving shuffled. */
    void applyWaiting() {
        for (int i = 0; i < subtasks; i++) {
            List<ProductSignal> signals = waiting.get(i);
            Collections.shuffle(signals, arrival);
            signals.sort(ProductSignal.ORDER);
            for (ProductSignal s : signals) {
                ProductSlice slice =
                        owned.get(i).computeIfAbsent(s.productId, p -> new ProductSlice());
                slices.record(slice, s);
                if (s.sourceId == null) {
                    rankings.get(i).put(s.productId, slice);
                }
            }
            signals.clear();
        }
    }

    /** The recommendations for {@code customer} as of {@code at}, the way the job makes them. */
    List<Recommendation> recommend(CustomerContext customer, long at, ProductCatalog catalog) {
        List<SeedRow> rows = new ArrayList<>();
        for (String seed : CandidatePlan.seeds(customer)) {
            ProductRequest request = new ProductRequest("r", "c", seed, at);
            rows.add(SeedRow.of(request, owned.get(owner(seed)).get(seed), slices));
        }
        CandidatePlan plan = CandidatePlan.of(customer, rows, catalog, recommender.count());
        lastPlan = plan;
        List<FactsAnswer> answers = new ArrayList<>();
        if (plan.needsFacts()) {
            FactsRequest request = plan.request("r", "c", at, recommender.count());
            for (int i = 0; i < subtasks; i++) {
                Map<String, ProductSlice> mine = owned.get(i);
                answers.add(
                        FactsAnswer.of(
                                request,
                                rankings.get(i),
                                id -> mine.containsKey(id) ? mine.get(id).category : null,
                                catalog,
                                i,
                                subtasks));
            }
        }
        return recommender.recommend(
                customer, PartialModel.of(plan.rows, plan.trendingCategory, answers), catalog);
    }

    /** The plan of the last recommendation. */
    CandidatePlan lastPlan;
}
