package io.personalize.core.features;

import static io.personalize.core.testing.Times.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimeSeriesTest {
    private static final long T = 1_740_960_000_000L; // 2025-03-03T00:00:00Z, a whole minute

    @Test
    void eventsInTheSameClockMinuteShareAnEntryWithTheLatestTime() {
        TimeSeries series = new TimeSeries();
        series.add(T + 5_000, 1, MINUTE);
        series.add(T + 50_000, 1, MINUTE);
        series.add(T + 20_000, 2, MINUTE);

        assertThat(series.times).containsExactly(T + 50_000);
        assertThat(series.counts).containsExactly(4);
    }

    @Test
    void eventsLessThanAMinuteApartInDifferentClockMinutesKeepTheirOwnEntries() {
        TimeSeries series = new TimeSeries();
        series.add(T - 10_000, 1, MINUTE);
        series.add(T + 10_000, 1, MINUTE);
        series.add(T + 70_000, 1, MINUTE);

        assertThat(series.times).containsExactly(T - 10_000, T + 10_000, T + 70_000);
    }

    @Test
    void aSteadyStreamDoesNotCollapseIntoOneEntry() {
        TimeSeries series = new TimeSeries();
        for (int i = 0; i < 60; i++) {
            series.add(T + i * 30_000L, 1, MINUTE);
        }

        assertThat(series.times).hasSize(30);
        assertThat(series.count(T, T + 30 * MINUTE)).isEqualTo(60);
    }

    @Test
    void theEntriesDoNotDependOnTheArrivalOrder() {
        long[] times = {T + 59_999, T + 1, T + 61_000, T + 60_000, T - 1, T + 30_000, T + 1};
        TimeSeries forward = new TimeSeries();
        TimeSeries backward = new TimeSeries();
        for (int i = 0; i < times.length; i++) {
            forward.add(times[i], 1, MINUTE);
            backward.add(times[times.length - 1 - i], 1, MINUTE);
        }

        assertThat(forward).isEqualTo(backward);
        assertThat(forward.times).containsExactly(T - 1, T + 59_999, T + 61_000);
        assertThat(forward.counts).containsExactly(1, 4, 2);
    }

    @Test
    void aResolutionOfZeroKeepsEveryDistinctTime() {
        TimeSeries series = new TimeSeries();
        series.add(T + 2, 1, 0);
        series.add(T, 1, 0);
        series.add(T + 1, 1, 0);
        series.add(T + 1, 1, 0);

        assertThat(series.times).containsExactly(T, T + 1, T + 2);
        assertThat(series.counts).containsExactly(1, 2, 1);
    }

    @Test
    void countIncludesBothBounds() {
        TimeSeries series = new TimeSeries();
        series.add(T, 1, 0);
        series.add(T + 10, 1, 0);
        series.add(T + 20, 1, 0);

        assertThat(series.count(T, T + 20)).isEqualTo(3);
        assertThat(series.count(T + 1, T + 19)).isEqualTo(1);
    }

    @Test
    void nextExpiryIsOneMillisecondAfterTheOldestEntryInTheWindowLeavesIt() {
        TimeSeries series = new TimeSeries();
        series.add(T, 1, 0);
        series.add(T + 100, 1, 0);

        assertThat(series.nextExpiry(T + 100, 1_000)).isEqualTo(T + 1_001);
        assertThat(series.nextExpiry(T + 1_000, 1_000)).isEqualTo(T + 1_001);
        assertThat(series.nextExpiry(T + 1_001, 1_000)).isEqualTo(T + 1_101);
        assertThat(series.nextExpiry(T + 1_101, 1_000)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void dropBeforeForgetsOnlyOlderEntries() {
        TimeSeries series = new TimeSeries();
        series.add(T, 1, 0);
        series.add(T + 10, 1, 0);

        series.dropBefore(T + 10);

        assertThat(series.times).containsExactly(T + 10);
        series.dropBefore(T + 11);
        assertThat(series.isEmpty()).isTrue();
    }
}
