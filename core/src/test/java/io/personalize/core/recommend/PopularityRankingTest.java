package io.personalize.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PopularityRankingTest {
    private static final Duration HALF_LIFE = Duration.ofDays(7);
    private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();

    private final ProductSlices slices = new ProductSlices(HALF_LIFE, 10);
    private final PopularityRanking ranking = new PopularityRanking(slices);

    @Test
    void listsDownToTheWantedRecommendableProductAndEveryProductAsPopularAsIt() {
        popular("a", "shoes", 5.0);
        popular("c", "shoes", 4.0);
        popular("b", "bags", 4.0);
        popular("d", "shoes", 3.0);

        PopularityRanking.Top top = ranking.top(null, T0, id -> !id.equals("a"), 1);

        assertThat(top.products()).extracting(p -> p.productId).containsExactly("a", "b", "c");
        assertThat(top.products()).extracting(p -> p.popularity).containsExactly(5.0, 4.0, 4.0);
        assertThat(top.cut()).isTrue();
    }

    @Test
    void aListThatReachesItsEndIsNotCut() {
        popular("a", "shoes", 5.0);
        popular("b", "shoes", 4.0);

        PopularityRanking.Top top = ranking.top("shoes", T0, id -> true, 2);

        assertThat(top.products()).extracting(p -> p.productId).containsExactly("a", "b");
        assertThat(top.cut()).isFalse();
        assertThat(ranking.top("hats", T0, id -> true, 2).products()).isEmpty();
    }

    @Test
    void productsRankByPopularityDecayedAlikeAndMoveWithTheirCategory() {
        popular("old", "shoes", 10.0);
        ProductSlice recent = new ProductSlice();
        slices.record(recent, ProductSignal.own("new", "shoes", 6.0, T0 + HALF_LIFE.toMillis()));
        ranking.put("new", recent);
        slices.record(recent, ProductSignal.own("new", "boots", 1.0, T0 + HALF_LIFE.toMillis()));
        ranking.put("new", recent);
        long later = T0 + 3 * HALF_LIFE.toMillis();

        assertThat(ranking.top(null, later, id -> true, 5).products())
                .extracting(p -> p.productId)
                .containsExactly("new", "old");
        assertThat(ranking.top("shoes", later, id -> true, 5).products())
                .extracting(p -> p.productId)
                .containsExactly("old");
        assertThat(ranking.top("boots", later, id -> true, 5).products())
                .extracting(p -> p.productId, p -> p.popularity)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple(
                                "new", slices.popularity(recent, later)));
        assertThat(ranking.size()).isEqualTo(2);
    }

    private void popular(String id, String category, double weight) {
        ProductSlice slice = new ProductSlice();
        slices.record(slice, ProductSignal.own(id, category, weight, T0));
        ranking.put(id, slice);
    }
}
