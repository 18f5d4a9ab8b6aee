package io.personalize.job.sources;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * An unbounded stream of readings, one per interval, with Flink's own {@link DataGeneratorSource}
 * doing the pacing and checkpointing: how the job watches files it is configured with (segment
 * definitions, the model registry).
 */
public final class Polling {
    private Polling() {}

    /** Calls {@code reading} once per {@code interval}, in one subtask, without event time. */
    public static <T> DataStream<T> every(
            StreamExecutionEnvironment env,
            Duration interval,
            GeneratorFunction<Long, T> reading,
            Class<T> type,
            String uid,
            String name) {
        double perSecond = 1000.0 / Math.max(1L, interval.toMillis());
        DataGeneratorSource<T> source =
                new DataGeneratorSource<>(
                        reading,
                        Long.MAX_VALUE,
                        RateLimiterStrategy.perSecond(perSecond),
                        TypeInformation.of(type));
        return env.fromSource(source, noEventTime(), name).uid(uid).setParallelism(1);
    }

    /**
     * A stream of one record that carries no reading ({@code empty}), then the end: the second
     * input of a stage whose definitions are not watched.
     */
    public static <T> DataStream<T> none(
            StreamExecutionEnvironment env,
            GeneratorFunction<Long, T> empty,
            Class<T> type,
            String uid,
            String name) {
        return env.fromSource(
                        new DataGeneratorSource<>(empty, 1, TypeInformation.of(type)),
                        noEventTime(),
                        name)
                .uid(uid)
                .setParallelism(1);
    }

    /**
     * Readings carry no event time: their watermark is the end of time from the start, so a
     * two-input stage keyed on its other input keeps that input's event time (its timers fire).
     */
    private static <T> WatermarkStrategy<T> noEventTime() {
        return context ->
                new WatermarkGenerator<>() {
                    @Override
                    public void onEvent(T event, long timestamp, WatermarkOutput output) {}

                    @Override
                    public void onPeriodicEmit(WatermarkOutput output) {
                        output.emitWatermark(new Watermark(Long.MAX_VALUE));
                    }
                };
    }
}
