package io.personalize.job.features;

import io.personalize.job.segments.SegmentDefinitionsPoller;
import io.personalize.job.segments.SegmentRulesUpdate;
import io.personalize.job.sources.Polling;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Readings of the declared-features file (personalize.features.declared), one per poll interval,
 * each a {@link SegmentRulesUpdate} of kind {@link SegmentRulesUpdate#DECLARED_FEATURES}: read like
 * a segment definitions file ({@link SegmentDefinitionsPoller}: taken once two polls read it alike,
 * an unreadable file is a reading with its error). The customer stage receives them broadcast; the
 * scoring and decision stages poll with {@link #poller} on their own timers, as the decision stage
 * does its flows.
 *
 * <pre>{@code
 * DataStream<SegmentRulesUpdate> readings =
 *         DeclaredFeaturesPoller.stream(env, Path.of("features.yaml"), Duration.ofSeconds(10));
 * }</pre>
 */
public final class DeclaredFeaturesPoller {
    public static final String SOURCE_UID = "declared-features-poller";
    public static final String SOURCE_NAME = "Declared features (polled file)";

    private DeclaredFeaturesPoller() {}

    /** An unbounded stream of readings of {@code path}, one per {@code interval}. */
    public static DataStream<SegmentRulesUpdate> stream(
            StreamExecutionEnvironment env, Path path, Duration interval) {
        return Polling.every(
                env, interval, poller(path), SegmentRulesUpdate.class, SOURCE_UID, SOURCE_NAME);
    }

    /** A poller of {@code path} to call from an operator's own timer. */
    public static SegmentDefinitionsPoller poller(Path path) {
        return new SegmentDefinitionsPoller(path, SegmentRulesUpdate.DECLARED_FEATURES);
    }
}
