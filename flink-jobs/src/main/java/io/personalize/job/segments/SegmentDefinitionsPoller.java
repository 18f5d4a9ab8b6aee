package io.personalize.job.segments;

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
 * Reads a segment definitions file once per poll interval, with Flink's own {@link
 * DataGeneratorSource} doing the pacing and checkpointing: each reading is a {@link
 * SegmentRulesUpdate}; the segment stage ignores readings equal to what serves. An unreadable file
 * becomes an update with its error (refused, logged, counted), never a failure. A changed file is
 * taken once two polls read it alike ({@link SettledReadings}), never half written.
 *
 * <pre>{@code
 * DataStream<SegmentRulesUpdate> updates =
 *         SegmentDefinitionsPoller.stream(env, Path.of("segments.yaml"), Duration.ofSeconds(10));
 * }</pre>
 */
public final class SegmentDefinitionsPoller implements GeneratorFunction<Long, SegmentRulesUpdate> {
    private static final long serialVersionUID = 1L;

    public static final String SOURCE_UID = "segment-definitions-poller";
    public static final String SOURCE_NAME = "Segment definitions (polled file)";

    private static final String TEXT = "text:";
    private static final String ERROR = "error:";

    private final String path;
    private final String kind;
    private transient SettledReadings<SegmentRulesUpdate> settled;

    public SegmentDefinitionsPoller(Path path) {
        this(path, null);
    }

    /**
     * @param kind the readings' {@link SegmentRulesUpdate#kind}: null for segment (or flow)
     *     definitions, {@link SegmentRulesUpdate#DECLARED_FEATURES} for a declared-features file
     */
    public SegmentDefinitionsPoller(Path path, String kind) {
        this.path = path.toAbsolutePath().toString();
        this.kind = kind;
    }

    /** An unbounded stream of readings of {@code path}, one per {@code interval}. */
    public static DataStream<SegmentRulesUpdate> stream(
            StreamExecutionEnvironment env, Path path, Duration interval) {
        return Polling.every(
                env,
                interval,
                new SegmentDefinitionsPoller(path),
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
            raw = ERROR + "cannot read " + path + ": " + e;
        }
        return settled.offer(raw, this::reading);
    }

    private SegmentRulesUpdate reading(String raw) {
        long now = System.currentTimeMillis();
        SegmentRulesUpdate update =
                raw.startsWith(TEXT)
                        ? SegmentRulesUpdate.of(path, raw.substring(TEXT.length()), now)
                        : SegmentRulesUpdate.unreadable(path, raw.substring(ERROR.length()), now);
        update.kind = kind;
        return update;
    }
}
