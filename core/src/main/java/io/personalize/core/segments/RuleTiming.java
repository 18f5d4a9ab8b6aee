package io.personalize.core.segments;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a rule's result can change without any feature timer: the time-driven inputs it reads and
 * the thresholds it compares them with, taken from the checked AST. {@link #nextChangeAt} gives the
 * first such instant after {@code asOf}, so the job sets a timer there and a customer enters or
 * leaves at exactly that moment.
 *
 * <ul>
 *   <li>{@code days_since_last_purchase}, {@code days_since_last_open}: step up at whole days after
 *       their anchor. Compared directly with integer literals, only the steps to {@code c} and
 *       {@code c + 1} of each literal {@code c} can change the result; in any other form every step
 *       is a candidate (one timer a day while the rule could change).
 *   <li>{@code age}: the next birthday.
 *   <li>{@code as_of}: the rule's timestamp features shifted by each of its duration literals (and
 *       their sums of two), the timestamp literals; each and 1 ms after.
 *   <li>{@code viewed_product(p, w)}: each view of {@code p} (of any product when {@code p} is not
 *       a literal) leaves a window {@code w} at view + w + 1 ms.
 * </ul>
 *
 * The analysis is {@link RuleTimingAnalysis}. Scores that decay continuously ({@code
 * engagement_score}, {@code attribute_score}) have no timer: a rule on them is re-evaluated at the
 * customer's next event or feature change.
 */
record RuleTiming(
        Map<String, long[]> dayThresholds,
        boolean readsAge,
        boolean readsAsOf,
        long[] offsets,
        long[] timestampLiterals,
        List<String> timestampFeatures,
        long[] viewWindows,
        Set<String> viewProducts) {

    static final long DAY = 86_400_000L;
    static final String AGE = "age";

    /** Day-count features: they step up a day after their anchor ({@link TimeAnchors}). */
    static final Set<String> DAY_FEATURES =
            Set.of(TimeAnchors.DAYS_SINCE_LAST_PURCHASE, TimeAnchors.DAYS_SINCE_LAST_OPEN);

    boolean timeDriven() {
        return !dayThresholds.isEmpty() || readsAge || readsAsOf || viewWindows.length > 0;
    }

    /**
     * Whether the rule reads the clock itself ({@code as_of}), so it is evaluated at every change.
     * A {@code viewed_product} rule is not: its views and their count within each window are part
     * of its input fingerprint, and a view leaving a window is timed.
     */
    boolean dependsOnClock() {
        return readsAsOf;
    }

    /**
     * The first instant after {@code asOf} at which the rule's result may change by time alone;
     * {@link Long#MAX_VALUE} when none.
     */
    long nextChangeAt(FeatureRegistry registry, CustomerFeatures f, TimeAnchors anchors) {
        long asOf = f.asOf;
        Next next = new Next(asOf);
        dayThresholds.forEach(
                (feature, thresholds) -> {
                    Long anchor = anchors.anchorOf(feature, f);
                    if (anchor == null) {
                        return;
                    }
                    if (thresholds == null) {
                        next.offer(anchor + (Math.floorDiv(asOf - anchor, DAY) + 1) * DAY);
                        return;
                    }
                    for (long c : thresholds) {
                        next.offer(anchor + c * DAY);
                        next.offer(anchor + (c + 1) * DAY);
                    }
                });
        if (readsAge) {
            next.offer(anchors.nextAgeChangeAt());
        }
        if (readsAsOf) {
            for (String feature : timestampFeatures) {
                Object value = registry.value(feature, f);
                if (value instanceof Long at) {
                    for (long offset : offsets) {
                        next.offer(at + offset);
                        next.offer(at + offset + 1);
                        next.offer(at - offset);
                        next.offer(at - offset + 1);
                    }
                }
            }
            for (long literal : timestampLiterals) {
                next.offer(literal);
                next.offer(literal + 1);
            }
        }
        if (viewWindows.length > 0) {
            anchors.forEachViewTime(
                    viewProducts,
                    at -> {
                        for (long window : viewWindows) {
                            next.offer(at + window + 1);
                        }
                    });
        }
        return next.value;
    }

    private static final class Next {
        private final long after;
        private long value = Long.MAX_VALUE;

        Next(long after) {
            this.after = after;
        }

        void offer(long candidate) {
            if (candidate > after && candidate < value) {
                value = candidate;
            }
        }
    }
}
