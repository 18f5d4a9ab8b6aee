package io.personalize.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProductSlicesTest {
    private static final Duration HALF_LIFE = Duration.ofDays(7);
    private static final long HL = HALF_LIFE.toMillis();
    private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();

    private final ProductSlices slices = new ProductSlices(HALF_LIFE, 50);
    private final Map<String, ProductSlice> owned = new HashMap<>();

    @Test
    void anInteractionChangesTheProductsSliceAndEachCompanionsPair() {
        record("a", "shoes", 3.0, T0, List.of("b", "b", "a", "c"));

        assertThat(slices.neighbours(owned.get("a"), T0))
                .containsOnly(entry("b", 3.0), entry("c", 3.0));
        assertThat(slices.neighbours(owned.get("b"), T0)).containsOnly(entry("a", 3.0));
        assertThat(slices.popularity(owned.get("a"), T0)).isEqualTo(3.0);
        assertThat(slices.popularity(owned.get("b"), T0)).isZero();
        assertThat(owned.get("a").category).isEqualTo("shoes");
        assertThat(owned.get("b").category).isNull();
    }

    @Test
    void weightsAreReadDecayedToTheAskedTime() {
        record("a", null, 4.0, T0, List.of("b"));
        record("a", null, 4.0, T0 + HL, List.of("c"));

        Map<String, Double> asOfLater = slices.neighbours(owned.get("a"), T0 + HL);
        assertThat(asOfLater.get("c")).isCloseTo(4.0, within(1e-12));
        assertThat(asOfLater.get("b")).isCloseTo(2.0, within(1e-12));
        assertThat(slices.popularity(owned.get("a"), T0 + 2 * HL)).isCloseTo(3.0, within(1e-12));
    }

    @Test
    void aWeightReadsTheSameToTheBitWhateverElseItsSliceRecordedBefore() {
        ProductSlice old = new ProductSlice();
        ProductSlice fresh = new ProductSlice();
        slices.record(old, ProductSignal.own("old", "c", 5.0, T0 + 123_457));
        long later = T0 + 300 * HL + 98_765; // the old slice moves its anchor on the way
        ProductSignal pair = ProductSignal.of("x", null, 3.0, later, List.of("old")).get(1);
        slices.record(old, pair);
        pair.productId = "fresh";
        slices.record(fresh, pair);

        assertThat(old.anchor).isNotEqualTo(T0).isLessThanOrEqualTo(later);
        assertThat(slices.neighbours(old, later + 4_321).get("x"))
                .isEqualTo(slices.neighbours(fresh, later + 4_321).get("x"));
    }

    @Test
    void theSignalsOfAnInstantGiveTheSameSlicesInAnyArrivalOrder() {
        ProductSlices small = new ProductSlices(HALF_LIFE, 3);
        List<ProductSignal> signals = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            List<String> companions = new ArrayList<>();
            for (int c = random.nextInt(4); c > 0; c--) {
                companions.add("p" + random.nextInt(8));
            }
            signals.addAll(
                    ProductSignal.of(
                            "p" + random.nextInt(8),
                            "c" + random.nextInt(2),
                            1.0 + random.nextInt(3),
                            T0 + 60_000L * random.nextInt(3),
                            companions));
        }
        Map<String, ProductSlice> first = apply(small, signals);
        Collections.shuffle(signals, random);

        assertThat(apply(small, signals)).isEqualTo(first);
    }

    private static Map<String, ProductSlice> apply(ProductSlices s, List<ProductSignal> signals) {
        List<ProductSignal> ordered = new ArrayList<>(signals);
        ordered.sort(ProductSignal.ORDER);
        Map<String, ProductSlice> slices = new HashMap<>();
        for (ProductSignal signal : ordered) {
            s.record(slices.computeIfAbsent(signal.productId, p -> new ProductSlice()), signal);
        }
        return slices;
    }

    private void record(
            String product, String category, double weight, long at, List<String> companions) {
        for (ProductSignal s : ProductSignal.of(product, category, weight, at, companions)) {
            slices.record(owned.computeIfAbsent(s.productId, p -> new ProductSlice()), s);
        }
    }
}
