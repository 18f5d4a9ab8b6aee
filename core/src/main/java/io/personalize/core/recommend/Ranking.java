package io.personalize.core.recommend;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one ranking order of this package: higher score first, ties by product id. */
final class Ranking {

    /** Score descending, then key ascending, so results never depend on hash map order. */
    static final Comparator<Map.Entry<String, Double>> BEST_FIRST =
            Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey());

    private Ranking() {}

    /**
     * The entries of {@code scores} in {@link #BEST_FIRST} order, each value times {@code factor}.
     */
    static Map<String, Double> bestFirst(Map<String, Double> scores, double factor) {
        Map<String, Double> ranked = new LinkedHashMap<>();
        scores.entrySet().stream()
                .sorted(BEST_FIRST)
                .forEachOrdered(e -> ranked.put(e.getKey(), e.getValue() * factor));
        return ranked;
    }
}
