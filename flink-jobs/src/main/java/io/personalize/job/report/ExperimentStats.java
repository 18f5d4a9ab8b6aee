package io.personalize.job.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers of the experiment report, plain Java: per flow and variant, the decisions (sent or
 * held out), how many converted, revenue, and the uplift of each variant's conversion rate over its
 * flow's holdout with a 95 % interval (normal approximation of a difference of two proportions).
 */
public final class ExperimentStats {
    /** The variant name of a flow's held-out customers. */
    public static final String HOLDOUT = "holdout";

    /** Label of decisions made without an experiment. */
    public static final String NO_EXPERIMENT = "(no experiment)";

    private static final double Z_95 = 1.959964;

    private ExperimentStats() {}

    /** What one decision was and achieved. */
    public record DecisionOutcome(
            String flowId,
            String variant,
            boolean converted,
            double revenue,
            int opens,
            int clicks) {}

    /** One line of the report. */
    public record Line(
            String flowId,
            String variant,
            long decisions,
            long conversions,
            double revenue,
            long opens,
            long clicks,
            Uplift uplift) {

        public double conversionRate() {
            return decisions == 0 ? 0 : (double) conversions / decisions;
        }

        public double revenuePerDecision() {
            return decisions == 0 ? 0 : revenue / decisions;
        }

        /** 95 % interval of the conversion rate on its own (normal approximation). */
        public double rateHalfWidth() {
            double p = conversionRate();
            return decisions == 0 ? 0 : Z_95 * Math.sqrt(p * (1 - p) / decisions);
        }
    }

    /**
     * Difference of conversion rates against the holdout (percentage points as a fraction), its 95
     * % interval, and the relative uplift (null when the holdout converted nobody).
     */
    public record Uplift(double difference, double low, double high, Double relative) {
        public boolean significant() {
            return low > 0 || high < 0;
        }
    }

    public static List<Line> lines(List<DecisionOutcome> outcomes) {
        Map<String, Map<String, long[]>> counts = new TreeMap<>();
        Map<String, Map<String, Double>> revenue = new TreeMap<>();
        for (DecisionOutcome o : outcomes) {
            String variant = o.variant() == null ? NO_EXPERIMENT : o.variant();
            long[] c =
                    counts.computeIfAbsent(o.flowId(), f -> new TreeMap<>())
                            .computeIfAbsent(variant, v -> new long[4]);
            c[0]++;
            c[1] += o.converted() ? 1 : 0;
            c[2] += o.opens();
            c[3] += o.clicks();
            revenue.computeIfAbsent(o.flowId(), f -> new TreeMap<>())
                    .merge(variant, o.revenue(), Double::sum);
        }
        List<Line> lines = new ArrayList<>();
        counts.forEach(
                (flow, byVariant) -> {
                    long[] holdout = byVariant.get(HOLDOUT);
                    byVariant.forEach(
                            (variant, c) ->
                                    lines.add(
                                            new Line(
                                                    flow,
                                                    variant,
                                                    c[0],
                                                    c[1],
                                                    revenue.get(flow).get(variant),
                                                    c[2],
                                                    c[3],
                                                    holdout == null || variant.equals(HOLDOUT)
                                                            ? null
                                                            : uplift(
                                                                    c[1],
                                                                    c[0],
                                                                    holdout[1],
                                                                    holdout[0]))));
                });
        lines.sort(
                Comparator.comparing(Line::flowId)
                        .thenComparing(l -> l.variant().equals(HOLDOUT) ? 1 : 0)
                        .thenComparing(Line::variant));
        return lines;
    }

    /** Uplift of {@code x/n} over {@code x0/n0}; null when either group is empty. */
    static Uplift uplift(long x, long n, long x0, long n0) {
        if (n == 0 || n0 == 0) {
            return null;
        }
        double p = (double) x / n;
        double p0 = (double) x0 / n0;
        double difference = p - p0;
        double se = Math.sqrt(p * (1 - p) / n + p0 * (1 - p0) / n0);
        return new Uplift(
                difference,
                difference - Z_95 * se,
                difference + Z_95 * se,
                p0 == 0 ? null : difference / p0);
    }
}
