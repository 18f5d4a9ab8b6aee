package io.personalize.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The model partitioned by product ({@link PartitionedShop}, as the job runs it) recommends what
 * the whole {@link CoOccurrenceModel} does, and the same to the bit whatever the number of
 * subtasks, on a random history with ties in time, trimmed neighbours, products changing category,
 * out-of-stock and unknown products, and customers with and without affinity.
 */
class PartitionedModelTest {
    private static final Duration HALF_LIFE = Duration.ofDays(7);
    private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
    private static final int PRODUCTS = 40;
    private static final int MAX_NEIGHBOURS = 4;
    private static final int COUNT = 3;

    private record Interaction(
            String product, String category, double weight, long at, List<String> companions) {}

    private record Ask(CustomerContext customer, long at) {}

    /** How many plans asked for categories, for lists, and how many there were. */
    private final Map<String, Integer> secondRounds = new HashMap<>();

    /** Interactions and recommendations by instant, interactions of an instant first. */
    private final TreeMap<Long, List<Object>> history = new TreeMap<>();

    @Test
    void everyRecommendationIsTheSameToTheBitWhateverTheNumberOfSubtasks() {
        generate(new Random(29), 3_000);
        for (ProductCatalog catalog : List.of(ProductCatalog.empty(), catalog(new Random(3)))) {
            secondRounds.clear();
            List<List<Recommendation>> one = partitioned(1, catalog);
            assertThat(one).hasSizeGreaterThan(700);
            assertThat(secondRounds.get("lookups"))
                    .as("recommendations that asked for categories")
                    .isGreaterThan(300);
            assertThat(secondRounds.get("lists"))
                    .as("recommendations that asked for the popularity lists")
                    .isGreaterThan(100);

            assertThat(partitioned(2, catalog)).isEqualTo(one);
            assertThat(partitioned(3, catalog)).isEqualTo(one);
        }
    }

    @Test
    void recommendsWhatTheWholeModelDoesWithScoresDecayedToTheRequestTime() {
        generate(new Random(17), 3_000);
        for (ProductCatalog catalog : List.of(ProductCatalog.empty(), catalog(new Random(5)))) {
            List<List<Recommendation>> whole = new ArrayList<>();
            List<Double> decayToRequest = new ArrayList<>();
            CoOccurrenceModel model = new CoOccurrenceModel(HALF_LIFE, MAX_NEIGHBOURS, 1_000_000);
            Recommender recommender = new Recommender(COUNT);
            for (List<Object> instant : history.values()) {
                for (Object o : instant) {
                    if (o instanceof Interaction i) {
                        model.record(i.product, i.category, i.weight, i.at, i.companions);
                    } else if (o instanceof Ask a) {
                        whole.add(recommender.recommend(a.customer, model, catalog));
                        long newestToRequest = a.at - model.newestAt();
                        decayToRequest.add(
                                Math.pow(2.0, -(double) newestToRequest / HALF_LIFE.toMillis()));
                    }
                }
            }
            List<List<Recommendation>> partitioned = partitioned(2, catalog);

            assertThat(partitioned).hasSameSizeAs(whole);
            Map<String, Integer> bySource = new HashMap<>();
            for (int i = 0; i < whole.size(); i++) {
                List<Recommendation> expected = whole.get(i);
                List<Recommendation> actual = partitioned.get(i);
                assertThat(actual)
                        .as("recommendation %d", i)
                        .extracting(r -> r.productId, r -> r.source, r -> r.category, r -> r.name)
                        .isEqualTo(
                                expected.stream()
                                        .map(
                                                r ->
                                                        org.assertj.core.api.Assertions.tuple(
                                                                r.productId,
                                                                r.source,
                                                                r.category,
                                                                r.name))
                                        .toList());
                for (int r = 0; r < expected.size(); r++) {
                    double decayed = expected.get(r).score * decayToRequest.get(i);
                    assertThat(actual.get(r).score)
                            .as("score %d of recommendation %d", r, i)
                            .isCloseTo(decayed, within(1e-9 * Math.max(1.0, decayed)));
                    bySource.merge(actual.get(r).source, 1, Integer::sum);
                }
            }
            assertThat(bySource)
                    .as("every source is exercised")
                    .containsKeys(
                            Recommendation.CO_OCCURRENCE,
                            Recommendation.TRENDING_CATEGORY,
                            Recommendation.POPULAR);
        }
    }

    private List<List<Recommendation>> partitioned(int subtasks, ProductCatalog catalog) {
        PartitionedShop shop =
                new PartitionedShop(subtasks, HALF_LIFE, MAX_NEIGHBOURS, COUNT, subtasks);
        List<List<Recommendation>> made = new ArrayList<>();
        for (List<Object> instant : history.values()) {
            for (Object o : instant) {
                if (o instanceof Interaction i) {
                    shop.interaction(i.product, i.category, i.weight, i.at, i.companions);
                }
            }
            shop.applyWaiting();
            for (Object o : instant) {
                if (o instanceof Ask a) {
                    made.add(shop.recommend(a.customer, a.at, catalog));
                    secondRounds.merge(
                            "lookups", shop.lastPlan.lookups.isEmpty() ? 0 : 1, Integer::sum);
                    secondRounds.merge("lists", shop.lastPlan.lists ? 1 : 0, Integer::sum);
                    secondRounds.merge("asks", 1, Integer::sum);
                }
            }
        }
        return made;
    }

    /**
     * {@code steps} instants 0 to 2 hours apart, each with interactions (ordered within the instant
     * as the single model orders them) and, one in four, a recommendation.
     */
    private void generate(Random random, int steps) {
        long at = T0;
        for (int step = 0; step < steps; step++) {
            at += 15 * 60_000L * random.nextInt(9);
            List<Object> instant = history.computeIfAbsent(at, t -> new ArrayList<>());
            int interactions = random.nextInt(3);
            for (int i = 0; i < interactions; i++) {
                instant.add(interaction(random, at));
            }
            if (random.nextInt(4) == 0) {
                instant.add(new Ask(customer(random, at), at));
            }
        }
        for (List<Object> instant : history.values()) {
            instant.sort(
                    Comparator.comparing((Object o) -> o instanceof Ask)
                            .thenComparing(o -> o instanceof Interaction i ? order(i) : ""));
        }
    }

    private static String order(Interaction i) {
        return i.product + "|" + i.weight + "|" + i.category + "|" + i.companions;
    }

    private static Interaction interaction(Random random, long at) {
        int p = skewed(random);
        String category =
                switch (random.nextInt(20)) {
                    case 0, 1 -> null;
                    case 2 -> "c" + random.nextInt(5); // the product moves, for a while
                    default -> "c" + (p % 5);
                };
        List<String> companions = new ArrayList<>();
        for (int c = random.nextInt(3) == 0 ? random.nextInt(5) : 0; c > 0; c--) {
            companions.add(random.nextInt(15) == 0 ? null : product(skewed(random)));
        }
        double weight = List.of(1.0, 3.0, 5.0).get(random.nextInt(3));
        return new Interaction(product(p), category, weight, at, companions);
    }

    private static CustomerContext customer(Random random, long at) {
        CustomerContext c = new CustomerContext();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            // half of the carts hold only products nobody interacted with: fallbacks
            c.cartProductIds.add(random.nextBoolean() ? "new" + i : product(skewed(random)));
        }
        for (int i = random.nextBoolean() ? 0 : random.nextInt(7); i > 0; i--) {
            c.recentViewIds.add(product(skewed(random)));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            c.boughtProductIds.add(product(random.nextInt(PRODUCTS)));
        }
        if (random.nextBoolean()) {
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                c.categoryAffinity.put("c" + random.nextInt(6), (double) random.nextInt(4));
            }
        }
        c.asOf = at;
        return c;
    }

    /** Some products far more often than others. */
    private static int skewed(Random random) {
        double u = random.nextDouble();
        return (int) (PRODUCTS * u * u);
    }

    private static String product(int i) {
        return String.format("p%02d", i);
    }

    /** A catalog that knows half of the products, some without category, a few out of stock. */
    private static ProductCatalog catalog(Random random) {
        List<ProductInfo> products = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            if (random.nextBoolean()) {
                String category = random.nextInt(4) == 0 ? null : "c" + random.nextInt(5);
                boolean inStock = random.nextInt(5) != 0;
                products.add(
                        new ProductInfo(product(i), "name " + i, category, 1.0, null, inStock));
            }
        }
        return ProductCatalog.of(products);
    }
}
