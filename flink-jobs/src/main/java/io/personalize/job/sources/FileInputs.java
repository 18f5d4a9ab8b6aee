package io.personalize.job.sources;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.RawRecord;
import io.personalize.job.Operators;
import io.personalize.job.PipelineInput;
import io.personalize.job.config.PersonalizeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Reads records, one per line, from a file or a directory with Flink's own {@link FileSource} and
 * {@link RawLineFormat} (bytes first: size and encoding are checked before anything else).
 */
public final class FileInputs {
    /** The stable id of the file input (part of operator uids). */
    public static final String INPUT_ID = "files";

    private FileInputs() {}

    /**
     * @param monitorInterval when not {@code null}, keep watching the directory for new files (an
     *     unbounded source); else read what is there and end
     */
    public static PipelineInput of(
            StreamExecutionEnvironment env,
            Path path,
            InputFormat format,
            Duration monitorInterval) {
        int maxBytes = env.getConfiguration().get(PersonalizeOptions.MAX_EVENT_BYTES);
        var records =
                env.fromSource(
                                source(path, monitorInterval, maxBytes),
                                WatermarkStrategy.noWatermarks(),
                                "Files: " + path.getFileName())
                        .uid(Operators.SOURCE_UID + INPUT_ID);
        return new PipelineInput(INPUT_ID, records, format, path.getFileName().toString());
    }

    /**
     * The records of {@code path} from its time-ordered copy ({@link EventTimeOrder#prepare}): the
     * same input id, operator uid and source name as {@link #of} gives it.
     */
    public static PipelineInput ordered(
            StreamExecutionEnvironment env, Path path, Path orderedCopy, InputFormat format) {
        int maxBytes = env.getConfiguration().get(PersonalizeOptions.MAX_EVENT_BYTES);
        var records =
                env.fromSource(
                                EventTimeOrder.source(orderedCopy, maxBytes),
                                WatermarkStrategy.noWatermarks(),
                                "Files: " + path.getFileName() + " (in event-time order)")
                        .uid(Operators.SOURCE_UID + INPUT_ID);
        return new PipelineInput(INPUT_ID, records, format, path.getFileName().toString());
    }

    /**
     * The lines of a file, or of every file in a directory, as a source.
     *
     * @param monitorInterval as in {@link #of}
     * @param maxBytes the longest line held whole ({@code personalize.validation.max-event-bytes})
     */
    public static FileSource<RawRecord> source(Path path, Duration monitorInterval, int maxBytes) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("input " + path + " does not exist");
        }
        org.apache.flink.core.fs.Path root =
                new org.apache.flink.core.fs.Path(path.toAbsolutePath().toUri());
        FileSource.FileSourceBuilder<RawRecord> builder =
                FileSource.forBulkFileFormat(new RawLineFormat(root, maxBytes), root);
        if (monitorInterval != null) {
            builder.monitorContinuously(monitorInterval);
        }
        return builder.build();
    }
}
