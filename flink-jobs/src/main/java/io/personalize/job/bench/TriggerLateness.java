package io.personalize.job.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In a live run, how long after its designed time (a cart's last change plus the abandon-after
 * wait, an abandonment plus the remind-after wait, a last view plus the browse quiet period) each
 * pattern-triggered decision reached the sink: its first record only, by decision id. Static, as
 * {@link LatencyRecorder}.
 */
final class TriggerLateness {
    /** Designed time and arrival (wall-clock ms) by decision id. */
    private static final Map<String, long[]> ARRIVALS = new ConcurrentHashMap<>();

    private TriggerLateness() {}

    static void reset() {
        ARRIVALS.clear();
    }

    static void record(String decisionId, long designedAt, long arrivedAt) {
        ARRIVALS.putIfAbsent(decisionId, new long[] {designedAt, arrivedAt});
    }

    /**
     * @param latestDesignedAt the latest designed time the run's own watermarks were due to release
     *     before its input ended; later ones were released early by the end of input and are left
     *     out
     */
    static Summary summarize(long latestDesignedAt) {
        long[] lateness =
                ARRIVALS.values().stream()
                        .filter(a -> a[0] <= latestDesignedAt)
                        .mapToLong(a -> a[1] - a[0])
                        .sorted()
                        .toArray();
        return new Summary(lateness.length, quantile(lateness, 0.5), quantile(lateness, 0.99));
    }

    private static long quantile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** How many decisions were probed and their lateness's median and 99th percentile, in ms. */
    record Summary(long count, long p50Millis, long p99Millis) {}
}
