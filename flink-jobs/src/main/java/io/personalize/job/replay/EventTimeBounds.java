package io.personalize.job.replay;

import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RecordParser;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/** The last event time of a bounded input, found before a replay starts: where its time stops. */
final class EventTimeBounds {
    private EventTimeBounds() {}

    /**
     * From the data files' column statistics of {@code occurred_at}; a scan when they lack them.
     */
    static Long lastEventTime(Table events) {
        int fieldId = Tables.EVENTS.schema().findField("occurred_at").fieldId();
        long max = Long.MIN_VALUE;
        try (CloseableIterable<FileScanTask> tasks = events.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                ByteBuffer bound =
                        task.file().upperBounds() == null
                                ? null
                                : task.file().upperBounds().get(fieldId);
                if (bound == null) {
                    return scan(events);
                }
                long micros = Conversions.fromByteBuffer(Types.TimestampType.withZone(), bound);
                max = Math.max(max, micros / 1000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return max == Long.MIN_VALUE ? null : max;
    }

    private static Long scan(Table events) {
        List<Record> rows = TableReader.readAll(events, "occurred_at");
        return rows.stream()
                .map(
                        row ->
                                ((OffsetDateTime) row.getField("occurred_at"))
                                        .toInstant()
                                        .toEpochMilli())
                .max(Long::compare)
                .orElse(null);
    }

    /** By parsing every record of the files (what the replay will read). */
    static Long lastEventTime(Path input, RecordParser parser) {
        long max = Long.MIN_VALUE;
        try (Stream<Path> files = Files.isDirectory(input) ? Files.walk(input) : Stream.of(input)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (BufferedReader reader = Files.newBufferedReader(file)) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        ParseResult result =
                                parser.parse(line, file.toString(), System.currentTimeMillis());
                        if (result.isValid()) {
                            max = Math.max(max, result.event().occurredAt);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return max == Long.MIN_VALUE ? null : max;
    }
}
