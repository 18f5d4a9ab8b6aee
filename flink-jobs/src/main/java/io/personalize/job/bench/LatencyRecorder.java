package io.personalize.job.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Millisecond histograms shared by the probes of one bench run (the MiniCluster runs in the same
 * JVM, so a static histogram sees every subtask): {@link #EVENTS} from an event's read to the
 * events table's writer, {@link #DECISIONS} from an event's read to the emission of the decision it
 * triggered.
 */
final class LatencyRecorder {
    static final LatencyRecorder EVENTS = new LatencyRecorder();
    static final LatencyRecorder DECISIONS = new LatencyRecorder();

    /** Read time (ms) of each event, by customer key and event time, when decisions are probed. */
    private static final Map<String, Long> READS = new ConcurrentHashMap<>();

    private static volatile boolean probingDecisions;
    private static volatile boolean live;

    private static final int MAX_MILLIS = 600_000;
    private final AtomicLongArray buckets = new AtomicLongArray(MAX_MILLIS + 1);

    private LatencyRecorder() {}

    /**
     * @param decisions whether decisions are probed (every event's read time is kept)
     * @param liveRun whether each event's time is the wall clock of its emission ({@link
     *     LiveEventTimes}): decisions count from it, pattern triggers from their designed time
     */
    static void reset(boolean decisions, boolean liveRun) {
        EVENTS.clear();
        DECISIONS.clear();
        READS.clear();
        TriggerLateness.reset();
        probingDecisions = decisions;
        live = liveRun;
    }

    static boolean probingDecisions() {
        return probingDecisions;
    }

    static boolean live() {
        return live;
    }

    static void read(String customerKey, long eventTime, long readAt) {
        READS.putIfAbsent(customerKey + '@' + eventTime, readAt);
    }

    /** When the customer's event at {@code eventTime} was read; null when no event was. */
    static Long readAt(String customerKey, long eventTime) {
        return READS.get(customerKey + '@' + eventTime);
    }

    private void clear() {
        for (int i = 0; i < buckets.length(); i++) {
            buckets.set(i, 0);
        }
    }

    void record(long millis) {
        buckets.incrementAndGet((int) Math.max(0, Math.min(MAX_MILLIS, millis)));
    }

    long count() {
        long total = 0;
        for (int i = 0; i < buckets.length(); i++) {
            total += buckets.get(i);
        }
        return total;
    }

    /** The latency below which {@code quantile} of the recorded values lie, in ms. */
    long quantile(double quantile) {
        long total = count();
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
            if (seen >= rank && total > 0) {
                return i;
            }
        }
        return 0;
    }
}
