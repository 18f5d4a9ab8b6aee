package io.personalize.core.features;

import java.util.Arrays;

/**
 * Event times with counts, sorted, for windowed counts that expire exactly. With a resolution above
 * 0, events in the same resolution-aligned slot (the same clock minute for one minute) share one
 * entry, which keeps the latest of their times: that bounds the size for busy customers, an event
 * leaves a window less than one resolution after its exact moment (never before it), and the
 * entries do not depend on the order the events arrive in. With a resolution of 0 every distinct
 * time is kept.
 *
 * <p>A Flink POJO: primitive arrays, no Kryo.
 */
public class TimeSeries {
    public long[] times = new long[0];
    public int[] counts = new int[0];

    public TimeSeries() {}

    /** Adds {@code count} at {@code time}, keeping the arrays sorted by time. */
    public void add(long time, int count, long resolutionMillis) {
        int n = times.length;
        int at = insertionPoint(time);
        if (at < n && times[at] == time) {
            counts[at] += count;
            return;
        }
        if (resolutionMillis > 0) {
            // at most one entry per slot: if there is one, it is a neighbour of the insertion point
            long slot = Math.floorDiv(time, resolutionMillis);
            if (at > 0 && Math.floorDiv(times[at - 1], resolutionMillis) == slot) {
                times[at - 1] = time; // later than the entry, earlier than the next slot
                counts[at - 1] += count;
                return;
            }
            if (at < n && Math.floorDiv(times[at], resolutionMillis) == slot) {
                counts[at] += count; // the entry keeps its later time
                return;
            }
        }
        long[] newTimes = new long[n + 1];
        int[] newCounts = new int[n + 1];
        System.arraycopy(times, 0, newTimes, 0, at);
        System.arraycopy(counts, 0, newCounts, 0, at);
        newTimes[at] = time;
        newCounts[at] = count;
        System.arraycopy(times, at, newTimes, at + 1, n - at);
        System.arraycopy(counts, at, newCounts, at + 1, n - at);
        times = newTimes;
        counts = newCounts;
    }

    /** Sum of counts with {@code from <= time <= to}. */
    public long count(long from, long to) {
        long sum = 0;
        for (int i = insertionPoint(from); i < times.length && times[i] <= to; i++) {
            sum += counts[i];
        }
        return sum;
    }

    /**
     * Entries with {@code from <= time <= to} more than {@code gap} after the entry before them (or
     * with none before): the starts of sessions found by an inactivity gap.
     */
    public long startsAfterGap(long from, long to, long gap) {
        long starts = 0;
        for (int i = insertionPoint(from); i < times.length && times[i] <= to; i++) {
            if (i == 0 || times[i] - times[i - 1] > gap) {
                starts++;
            }
        }
        return starts;
    }

    /**
     * When {@link #startsAfterGap} over {@code window} next drops after {@code asOf}: {@code t +
     * window + 1} for the oldest start in the window; {@link Long#MAX_VALUE} when there is none.
     */
    public long nextStartExpiry(long asOf, long window, long gap) {
        for (int i = insertionPoint(asOf - window); i < times.length && times[i] <= asOf; i++) {
            if (i == 0 || times[i] - times[i - 1] > gap) {
                return times[i] + window + 1;
            }
        }
        return Long.MAX_VALUE;
    }

    /** Drops entries older than {@code cutoff}. */
    public void dropBefore(long cutoff) {
        int keep = insertionPoint(cutoff);
        if (keep > 0) {
            times = Arrays.copyOfRange(times, keep, times.length);
            counts = Arrays.copyOfRange(counts, keep, counts.length);
        }
    }

    /**
     * The first moment after {@code asOf} at which a count over {@code window} (inclusive: an event
     * at t counts while {@code asOf - t <= window}) drops: {@code t + window + 1} for the oldest
     * entry still in the window; {@link Long#MAX_VALUE} when there is none.
     */
    public long nextExpiry(long asOf, long window) {
        int i = insertionPoint(asOf - window);
        return i < times.length && times[i] <= asOf ? times[i] + window + 1 : Long.MAX_VALUE;
    }

    public boolean isEmpty() {
        return times.length == 0;
    }

    /** Index of the first entry with time >= {@code time}. */
    private int insertionPoint(long time) {
        int low = 0;
        int high = times.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (times[mid] < time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeSeries other
                && Arrays.equals(times, other.times)
                && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(times) + Arrays.hashCode(counts);
    }
}
