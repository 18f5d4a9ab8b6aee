package io.personalize.job.segments;

import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.core.privacy.SuppressionList;
import io.personalize.job.sources.Polling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Reads the suppression list once per poll interval, like {@link SegmentDefinitionsPoller}, and
 * hashes its addresses right here: each reading is a {@link SegmentRulesUpdate} of kind {@link
 * SegmentRulesUpdate#SUPPRESSION_LIST} carrying the hashes only, or the problem that refused the
 * file (its line numbers, never its content). No address in clear leaves this function.
 *
 * <pre>{@code
 * DataStream<SegmentRulesUpdate> updates =
 *         SuppressionListPoller.stream(env, Path.of("suppressed.txt"), secret, Duration.ofSeconds(10));
 * }</pre>
 */
public final class SuppressionListPoller implements GeneratorFunction<Long, SegmentRulesUpdate> {
    private static final long serialVersionUID = 1L;

    public static final String SOURCE_UID = "suppression-list-poller";
    public static final String SOURCE_NAME = "Suppression list (polled file)";

    private final String path;
    private final PersonalDataScrubber scrubber;

    public SuppressionListPoller(Path path, String hashSecret) {
        this.path = path.toAbsolutePath().toString();
        this.scrubber = new PersonalDataScrubber(hashSecret);
    }

    /** An unbounded stream of readings of {@code path}, one per {@code interval}. */
    public static DataStream<SegmentRulesUpdate> stream(
            StreamExecutionEnvironment env, Path path, String hashSecret, Duration interval) {
        return Polling.every(
                env,
                interval,
                new SuppressionListPoller(path, hashSecret),
                SegmentRulesUpdate.class,
                SOURCE_UID,
                SOURCE_NAME);
    }

    @Override
    public SegmentRulesUpdate map(Long index) {
        SegmentRulesUpdate update = read(System.currentTimeMillis());
        update.kind = SegmentRulesUpdate.SUPPRESSION_LIST;
        return update;
    }

    private SegmentRulesUpdate read(long now) {
        String text;
        try {
            text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return SegmentRulesUpdate.unreadable(
                    path, "cannot read " + path + ": " + e.getClass().getSimpleName(), now);
        }
        try {
            return SegmentRulesUpdate.of(
                    path, SuppressionList.parse(text, scrubber).toHashLines(), now);
        } catch (IllegalArgumentException e) {
            return SegmentRulesUpdate.unreadable(path, e.getMessage(), now);
        }
    }
}
