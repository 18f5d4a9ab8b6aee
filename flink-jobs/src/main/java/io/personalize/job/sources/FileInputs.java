package io.personalize.job.sources;

import io.personalize.core.adapters.InputFormat;
import io.personalize.job.Operators;
import io.personalize.job.PipelineInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Reads records, one per line, from a file or a directory with Flink's own {@link FileSource}. */
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
        var records =
                env.fromSource(
                                source(path, monitorInterval),
                                WatermarkStrategy.noWatermarks(),
                                "Files: " + path.getFileName())
                        .uid(Operators.SOURCE_UID + INPUT_ID);
        return new PipelineInput(INPUT_ID, records, format, path.getFileName().toString());
    }

    /**
     * The lines of a file, or of every file in a directory, as a source.
     *
     * @param monitorInterval as in {@link #of}
     */
    public static FileSource<String> source(Path path, Duration monitorInterval) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("input " + path + " does not exist");
        }
        FileSource.FileSourceBuilder<String> builder =
                FileSource.forRecordStreamFormat(
                        new TextLineInputFormat(),
                        new org.apache.flink.core.fs.Path(path.toAbsolutePath().toUri()));
        if (monitorInterval != null) {
            builder.monitorContinuously(monitorInterval);
        }
        return builder.build();
    }
}
