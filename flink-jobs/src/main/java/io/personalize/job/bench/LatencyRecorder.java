package io.personalize.job.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A millisecond histogram shared by the probes of one bench run (the MiniCluster runs in the same
 * JVM, so a static histogram sees every subtask).
 */
final class LatencyRecorder {
    private static final int MAX_MILLIS = 600_000;
    private static final AtomicLongArray BUCKETS = new AtomicLongArray(MAX_MILLIS + 1);

    private LatencyRecorder() {}

    static void reset() {
        for (int i = 0; i < BUCKETS.length(); i++) {
            BUCKETS.set(i, 0);
        }
    }

    static void record(long millis) {
        BUCKETS.incrementAndGet((int) Math.max(0, Math.min(MAX_MILLIS, millis)));
    }

    /** The latency below which {@code quantile} of the recorded values lie, in ms. */
    static long quantile(double quantile) {
        long total = 0;
        for (int i = 0; i < BUCKETS.length(); i++) {
            total += BUCKETS.get(i);
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS.length(); i++) {
            seen += BUCKETS.get(i);
            if (seen >= rank && total > 0) {
                return i;
            }
        }
        return 0;
    }
}
