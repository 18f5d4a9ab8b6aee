package io.personalize.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoOccurrenceModelTest {

    private static final Duration HALF_LIFE = Duration.ofDays(7);
    private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
    private static final long ONE_HALF_LIFE_LATER = T0 + HALF_LIFE.toMillis();

    private final CoOccurrenceModel model = new CoOccurrenceModel(HALF_LIFE, 50, 100_000);

    @Test
    void recordAddsThePairInBothDirectionsAndThePopularity() {
        model.record("a", "shoes", 3.0, T0, List.of("b"));

        assertThat(model.neighbours("a")).containsExactly(entry("b", 3.0));
        assertThat(model.neighbours("b")).containsExactly(entry("a", 3.0));
        assertThat(model.popularity("a")).isEqualTo(3.0);
        assertThat(model.categoryOf("a")).isEqualTo("shoes");
    }

    @Test
    void companionsSkipTheProductItselfAndCountOnceEach() {
        model.record("a", null, 1.0, T0, List.of("a", "b", "b", "c"));

        assertThat(model.neighbours("a")).containsOnly(entry("b", 1.0), entry("c", 1.0));
    }

    @Test
    void productsOnlySeenAsCompanionsAreNotPopular() {
        model.record("a", "shoes", 1.0, T0, List.of("b"));

        assertThat(model.popular(10)).containsExactly("a");
        assertThat(model.categoryOf("b")).isNull();
    }

    @Test
    void aPairRecordedOneHalfLifeEarlierWeighsHalf() {
        model.record("a", null, 4.0, T0, List.of("b"));
        model.record("a", null, 4.0, ONE_HALF_LIFE_LATER, List.of("c"));

        assertThat(model.neighbours("a")).containsExactly(entry("c", 4.0), entry("b", 2.0));
        assertThat(model.popularity("a")).isEqualTo(6.0);
    }

    @Test
    void aLateEventCountsAsDecayedToTheNewestTime() {
        model.record("a", null, 4.0, ONE_HALF_LIFE_LATER, List.of("c"));
        model.record("a", null, 4.0, T0, List.of("b"));

        assertThat(model.neighbours("a")).containsExactly(entry("c", 4.0), entry("b", 2.0));
    }

    @Test
    void weightsStayExactAcrossThousandsOfHalfLives() {
        model.record("a", "shoes", 1.0, T0, List.of("b"));
        long muchLater = T0 + 3_000 * HALF_LIFE.toMillis();
        model.record("a", "shoes", 2.0, muchLater, List.of("c"));
        model.record("a", "shoes", 2.0, muchLater - HALF_LIFE.toMillis(), List.of("c"));

        assertThat(model.neighbours("a")).containsExactly(entry("c", 3.0), entry("b", 0.0));
        assertThat(model.popularity("a")).isCloseTo(3.0, within(1e-12));
        assertThat(model.trending("shoes", 5)).containsExactly("a");
    }

    @Test
    void trendingListsTheCategoryByDecayedPopularity() {
        model.record("old-hit", "shoes", 10.0, T0, List.of());
        model.record("bag", "bags", 50.0, ONE_HALF_LIFE_LATER, List.of());
        model.record("new-hit", "shoes", 6.0, ONE_HALF_LIFE_LATER, List.of());
        model.record("minor", "shoes", 1.0, ONE_HALF_LIFE_LATER, List.of());

        assertThat(model.trending("shoes", 10)).containsExactly("new-hit", "old-hit", "minor");
        assertThat(model.trending("shoes", 2)).containsExactly("new-hit", "old-hit");
        assertThat(model.trending("hats", 10)).isEmpty();
        assertThat(model.popular(2)).containsExactly("bag", "new-hit");
    }

    @Test
    void aProductWithoutCategoryIsOnlyPopularOverall() {
        model.record("a", null, 1.0, T0, List.of());

        assertThat(model.popular(5)).containsExactly("a");
        assertThat(model.trending(null, 5)).isEmpty();
    }

    @Test
    void theLastCategoryGivenWinsAndMovesTheProduct() {
        model.record("a", "shoes", 1.0, T0, List.of());
        model.record("a", null, 1.0, T0, List.of());
        model.record("a", "boots", 1.0, T0, List.of());

        assertThat(model.categoryOf("a")).isEqualTo("boots");
        assertThat(model.trending("shoes", 5)).isEmpty();
        assertThat(model.trending("boots", 5)).containsExactly("a");
    }

    @Test
    void keepsAtMostMaxNeighboursDroppingTheWeakest() {
        CoOccurrenceModel small = new CoOccurrenceModel(HALF_LIFE, 2, 100);
        small.record("a", null, 1.0, T0, List.of("weak"));
        small.record("a", null, 5.0, T0, List.of("strong"));
        small.record("a", null, 3.0, T0, List.of("middle"));

        assertThat(small.neighbours("a"))
                .containsExactly(entry("strong", 5.0), entry("middle", 3.0));
    }

    @Test
    void keepsAtMostMaxProductsDroppingTheLeastPopular() {
        CoOccurrenceModel small = new CoOccurrenceModel(HALF_LIFE, 10, 2);
        small.record("a", null, 5.0, T0, List.of());
        small.record("b", null, 1.0, T0, List.of());
        small.record("c", null, 3.0, T0, List.of());

        assertThat(small.size()).isEqualTo(2);
        assertThat(small.popular(10)).containsExactly("a", "c");
        assertThat(small.popularity("b")).isZero();
    }

    @Test
    void companionsOnlyAreEvictedFirst() {
        CoOccurrenceModel small = new CoOccurrenceModel(HALF_LIFE, 10, 2);
        small.record("a", null, 1.0, T0, List.of("x", "y"));

        assertThat(small.size()).isEqualTo(2);
        assertThat(small.entries()).extracting(e -> e.productId).containsOnly("a", "x");
        // a keeps its pair with y: pairs are bounded per product, not cleaned on eviction
        assertThat(small.neighbours("a")).containsOnlyKeys("x", "y");
    }

    @Test
    void tiesAreBrokenByProductIdWhateverTheRecordingOrder() {
        CoOccurrenceModel forward = new CoOccurrenceModel(HALF_LIFE, 2, 3);
        CoOccurrenceModel backward = new CoOccurrenceModel(HALF_LIFE, 2, 3);
        for (String id : List.of("d", "b", "a", "c", "e")) {
            forward.record(id, "shoes", 1.0, T0, List.of("z", "y", "x"));
        }
        for (String id : List.of("e", "c", "a", "b", "d")) {
            backward.record(id, "shoes", 1.0, T0, List.of("x", "y", "z"));
        }

        assertThat(forward.popular(10)).containsExactly("a", "b", "c");
        assertThat(forward.neighbours("a")).containsExactly(entry("x", 1.0), entry("y", 1.0));
        assertThat(backward.entries()).isEqualTo(forward.entries());
    }

    @Test
    void restoreFromEntriesGivesAnEqualModel() {
        model.record("a", "shoes", 3.0, T0, List.of("b", "c"));
        model.record("b", "bags", 1.0, T0 + 1_234_567, List.of("a"));
        model.record("c", null, 5.0, ONE_HALF_LIFE_LATER, List.of("b"));

        CoOccurrenceModel restored =
                CoOccurrenceModel.restore(HALF_LIFE, 50, 100_000, model.entries());

        assertThat(restored).isEqualTo(model).hasSameHashCodeAs(model);
        assertThat(restored.entries()).isEqualTo(model.entries());
        assertThat(restored.newestAt()).isEqualTo(ONE_HALF_LIFE_LATER);
        assertThat(restored.neighbours("a")).isEqualTo(model.neighbours("a"));
        assertThat(restored.trending("shoes", 5)).isEqualTo(model.trending("shoes", 5));
    }

    @Test
    void aRestoredModelGoesOnLikeTheOriginal() {
        model.record("a", "shoes", 3.0, T0, List.of("b"));
        CoOccurrenceModel restored =
                CoOccurrenceModel.restore(HALF_LIFE, 50, 100_000, model.entries());

        model.record("b", "shoes", 2.0, ONE_HALF_LIFE_LATER, List.of("a"));
        restored.record("b", "shoes", 2.0, ONE_HALF_LIFE_LATER, List.of("a"));

        assertThat(restored).isEqualTo(model);
        assertThat(restored.neighbours("a")).containsExactly(entry("b", 3.5));
    }

    @Test
    void aModelRestoredFromItsCheckpointGoesOnWithExactlyTheSameNumbers() {
        long t = T0;
        for (int i = 0; i < 50; i++) {
            t += 3_600_000L * 7 + 12_345L * i;
            model.record("p" + (i % 7), "c" + (i % 3), 1.0 + i % 4, t, List.of("p" + (i % 5)));
        }
        CoOccurrenceModel restored =
                CoOccurrenceModel.restore(HALF_LIFE, 50, 100_000, model.checkpoint());
        for (int i = 0; i < 50; i++) {
            t += 3_600_000L * 5 + 777L * i;
            model.record("p" + (i % 6), "c" + (i % 2), 2.0, t, List.of("p" + (i % 4)));
            restored.record("p" + (i % 6), "c" + (i % 2), 2.0, t, List.of("p" + (i % 4)));
        }

        assertThat(restored.checkpoint()).isEqualTo(model.checkpoint());
        assertThat(restored.entries()).isEqualTo(model.entries());
        assertThat(restored.neighbours("p1")).isEqualTo(model.neighbours("p1"));
    }

    @Test
    void anEmptyModelRoundTrips() {
        CoOccurrenceModel restored = CoOccurrenceModel.restore(HALF_LIFE, 50, 100_000, List.of());

        assertThat(restored).isEqualTo(model);
        assertThat(restored.newestAt()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void restoreAppliesSmallerBounds() {
        model.record("a", null, 1.0, T0, List.of("b", "c", "d"));

        CoOccurrenceModel restored = CoOccurrenceModel.restore(HALF_LIFE, 1, 2, model.entries());

        assertThat(restored.size()).isEqualTo(2);
        assertThat(restored.neighbours("a")).containsOnlyKeys("b");
    }

    @Test
    void refusesWeightsThatAreNotPositive() {
        assertThatThrownBy(() -> model.record("a", null, 0.0, T0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.record("a", null, Double.NaN, T0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
