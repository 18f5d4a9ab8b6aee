package io.personalize.job.segments;

import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.core.privacy.SuppressionList;
import io.personalize.job.sources.Polling;
import io.personalize.job.sources.SettledReadings;
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
 * file (its line numbers, never its content). No address in clear leaves this function. A changed
 * file is taken once two polls read it alike ({@link SettledReadings}), never half written.
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

    private static final String TEXT = "text:";
    private static final String ERROR = "error:";

    private final String path;
    private final PersonalDataScrubber scrubber;
    private transient SettledReadings<SegmentRulesUpdate> settled;

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
        if (settled == null) {
            settled = new SettledReadings<>();
        }
        String raw; // the text, or why it could not be read
        try {
            raw = TEXT + Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            raw = ERROR + "cannot read " + path + ": " + e.getClass().getSimpleName();
        }
        return settled.offer(raw, r -> parse(r, System.currentTimeMillis()));
    }

    private SegmentRulesUpdate parse(String raw, long now) {
        SegmentRulesUpdate update;
        if (raw.startsWith(ERROR)) {
            update = SegmentRulesUpdate.unreadable(path, raw.substring(ERROR.length()), now);
        } else {
            try {
                update =
                        SegmentRulesUpdate.of(
                                path,
                                SuppressionList.parse(raw.substring(TEXT.length()), scrubber)
                                        .toHashLines(),
                                now);
            } catch (IllegalArgumentException e) {
                update = SegmentRulesUpdate.unreadable(path, e.getMessage(), now);
            }
        }
        update.kind = SegmentRulesUpdate.SUPPRESSION_LIST;
        return update;
    }
}
