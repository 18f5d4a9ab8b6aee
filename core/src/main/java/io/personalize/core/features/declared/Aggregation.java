package io.personalize.core.features.declared;

import io.personalize.core.features.DeclaredValue;
import io.personalize.core.features.FeatureType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The aggregates of windowed declared features over the entries in the window: an entry at {@code
 * t} is in a window {@code W} while {@code asOf - t <= W} (as the built-in windows). Count,
 * distinct count and sum are 0 over no entries; min, max, average and last are unknown.
 */
final class Aggregation {
    private Aggregation() {}

    /** What a matching event keeps: its value in the form the aggregate reads; null for none. */
    static Object entryValue(DeclaredFeature f, Object raw) {
        if (raw == null) {
            return null;
        }
        return switch (f.aggregate()) {
            case COUNT -> null;
            case SUM, MIN, MAX, AVERAGE -> raw instanceof Number n ? n.doubleValue() : null;
            case DISTINCT_COUNT ->
                    raw instanceof Number n
                            ? String.valueOf(n.doubleValue())
                            : raw instanceof String || raw instanceof Boolean
                                    ? String.valueOf(raw)
                                    : null;
            case LAST -> last(f.type(), raw);
        };
    }

    private static Object last(FeatureType type, Object raw) {
        return switch (type) {
            case STRING -> raw instanceof String ? raw : null;
            case DOUBLE -> raw instanceof Number n ? n.doubleValue() : null;
            case BOOLEAN -> raw instanceof Boolean ? raw : null;
            default -> null;
        };
    }

    private static double sortedSum(List<DeclaredValue> entries, long from, long asOf) {
        double[] values =
                entries.stream()
                        .filter(e -> e.at >= from && e.at <= asOf && e.number != null)
                        .mapToDouble(e -> e.number)
                        .sorted()
                        .toArray();
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    static Object of(DeclaredFeature f, List<DeclaredValue> entries, long asOf) {
        long from = asOf - f.window().toMillis();
        long count = 0;
        double sum = 0;
        Double min = null;
        Double max = null;
        DeclaredValue last = null;
        Set<String> distinct = f.aggregate() == Aggregate.DISTINCT_COUNT ? new HashSet<>() : null;
        if (entries != null) {
            for (DeclaredValue e : entries) {
                if (e.at < from || e.at > asOf) {
                    continue;
                }
                count++;
                if (e.number != null) {
                    sum += e.number;
                    min = min == null ? e.number : Math.min(min, e.number);
                    max = max == null ? e.number : Math.max(max, e.number);
                }
                if (distinct != null) {
                    distinct.add(e.text);
                }
                if (last == null || e.laterThan(last)) {
                    last = e;
                }
            }
        }
        if ((f.aggregate() == Aggregate.SUM || f.aggregate() == Aggregate.AVERAGE) && count > 0) {
            sum = sortedSum(entries, from, asOf); // the same sum in any arrival order
        }
        return switch (f.aggregate()) {
            case COUNT -> count;
            case DISTINCT_COUNT -> (long) distinct.size();
            case SUM -> sum;
            case MIN -> min;
            case MAX -> max;
            case AVERAGE -> count == 0 ? null : sum / count;
            case LAST -> last == null ? null : last.value();
        };
    }
}
