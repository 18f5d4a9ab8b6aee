package io.personalize.job.bench;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The bench's events, held in memory once and served to every measured pipeline by a parallel
 * {@link DataGeneratorSource} that indexes into them (same JVM as the MiniCluster).
 */
final class BenchEvents {
    private static volatile List<String> lines = List.of();

    private BenchEvents() {}

    static void set(List<String> events) {
        lines = List.copyOf(events);
    }

    static DataGeneratorSource<String> source() {
        GeneratorFunction<Long, String> byIndex = index -> lines.get(index.intValue());
        return new DataGeneratorSource<>(
                byIndex, lines.size(), RateLimiterStrategy.noOp(), Types.STRING);
    }
}
