package io.personalize.job.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The bench's events, held in memory once and served to every measured pipeline by a parallel
 * {@link DataGeneratorSource} that indexes into them (same JVM as the MiniCluster). The first
 * record read marks the start of a measured run ({@link RunClock}), so MiniCluster start-up stays
 * out of the figures.
 */
final class BenchEvents {
    private static volatile List<String> lines = List.of();

    /** Where each line's event time is, for a live run ({@link LiveEventTimes#spans}). */
    private static volatile int[] liveSpans = new int[0];

    /** Wall-clock ms at which a live run's source emitted its latest event. */
    private static volatile long lastEmittedMillis;

    private BenchEvents() {}

    /**
     * Holds the events for the next runs, reordered so that each of the {@code parallelism}
     * contiguous ranges the source splits into is a time-ordered stride of the whole (as each
     * partition of a topic would be), not a different stretch of time per subtask.
     */
    static void set(List<String> events, int parallelism) {
        List<String> strided = new ArrayList<>(events.size());
        for (int offset = 0; offset < parallelism; offset++) {
            for (int i = offset; i < events.size(); i += parallelism) {
                strided.add(events.get(i));
            }
        }
        lines = List.copyOf(strided);
    }

    static List<String> lines() {
        return lines;
    }

    /** As fast as the pipeline takes them. */
    static DataGeneratorSource<String> source() {
        return source(0);
    }

    /**
     * @param perSecond events per second over all subtasks; 0 for as fast as possible
     */
    static DataGeneratorSource<String> source(double perSecond) {
        GeneratorFunction<Long, String> byIndex =
                index -> {
                    RunClock.started();
                    return lines.get(index.intValue());
                };
        return source(byIndex, perSecond);
    }

    /**
     * The events at {@code perSecond}, each dated the wall clock of its emission ({@link
     * LiveEventTimes}).
     */
    static DataGeneratorSource<String> liveSource(double perSecond) {
        liveSpans = LiveEventTimes.spans(lines);
        lastEmittedMillis = 0;
        GeneratorFunction<Long, String> byIndex =
                index -> {
                    RunClock.started();
                    int i = index.intValue();
                    long now = System.currentTimeMillis();
                    lastEmittedMillis = now;
                    return LiveEventTimes.at(
                            lines.get(i), liveSpans[2 * i], liveSpans[2 * i + 1], now);
                };
        return source(byIndex, perSecond);
    }

    static long lastEmittedMillis() {
        return lastEmittedMillis;
    }

    private static DataGeneratorSource<String> source(
            GeneratorFunction<Long, String> byIndex, double perSecond) {
        return new DataGeneratorSource<>(
                byIndex,
                lines.size(),
                perSecond > 0
                        ? RateLimiterStrategy.perSecond(perSecond)
                        : RateLimiterStrategy.noOp(),
                Types.STRING);
    }
}
