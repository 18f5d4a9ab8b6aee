package io.personalize.job.sources;

import io.personalize.core.events.LineReader;
import io.personalize.core.events.RawRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads the lines of a file as {@link RawRecord}s, bytes first ({@link LineReader}): a line is
 * decoded strictly (invalid UTF-8 is marked, not replaced), and a line longer than {@code maxBytes}
 * is never held whole. Each record's position is the file (relative to the input) and the byte
 * offset of its line, so ids derived from it are the same in every read of the file.
 *
 * <p>A batch holds up to {@value #BATCH_RECORDS} records or about {@value #BATCH_BYTES} bytes; its
 * checkpointed position is the byte offset of its first line plus the records read after it, so a
 * restore seeks to that line instead of reading the file from the start. Files are not split.
 *
 * <p>Why not Flink's {@code TextLineInputFormat}: it decodes with replacement characters, so
 * different invalid ids become the same one, and it holds any line whole.
 */
public class RawLineFormat implements BulkFormat<RawRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    static final int BATCH_RECORDS = 1000;
    static final int BATCH_BYTES = 1 << 20;

    private final String root;
    private final int maxBytes;

    /**
     * @param root the file or directory the source reads: positions name files relative to it
     * @param maxBytes the longest line held whole
     */
    public RawLineFormat(Path root, int maxBytes) {
        this.root = root.toUri().getPath();
        this.maxBytes = maxBytes;
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return open(split, split.offset(), 0);
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        CheckpointedPosition position =
                split.getReaderPosition().orElse(new CheckpointedPosition(split.offset(), 0));
        long offset =
                position.getOffset() == CheckpointedPosition.NO_OFFSET
                        ? split.offset()
                        : position.getOffset();
        return open(split, offset, position.getRecordsAfterOffset());
    }

    private LinesReader open(FileSourceSplit split, long offset, long skip) throws IOException {
        FSDataInputStream stream = split.path().getFileSystem().open(split.path());
        if (offset > 0) {
            stream.seek(offset);
        }
        LinesReader reader =
                new LinesReader(
                        stream, new LineReader(stream, offset, maxBytes, name(split)), this);
        reader.skip(skip);
        return reader;
    }

    /** The file's path relative to the input root; its name when the root is the file. */
    String name(FileSourceSplit split) {
        String file = split.path().toUri().getPath();
        String prefix = root.endsWith("/") ? root : root + "/";
        return file.startsWith(prefix) ? file.substring(prefix.length()) : split.path().getName();
    }

    /**
     * The record a line stands for: the line itself here; a format whose lines encode records (the
     * time-ordered copy of {@link EventTimeOrder}) decodes them.
     */
    protected RawRecord decode(RawRecord line) {
        return line;
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    /** Batches of records with the position of each batch's first line. */
    private static final class LinesReader implements Reader<RawRecord> {
        private final FSDataInputStream stream;
        private final LineReader lines;
        private final RawLineFormat format;

        /** After a restore: the restored offset and the records read past it, for one batch. */
        private long batchStart = -1;

        private long skippedAtOffset;

        LinesReader(FSDataInputStream stream, LineReader lines, RawLineFormat format) {
            this.stream = stream;
            this.lines = lines;
            this.format = format;
        }

        void skip(long records) throws IOException {
            long startOffset = lines.offset();
            for (long i = 0; i < records && lines.next() != null; i++) {
                skippedAtOffset++;
            }
            // the next batch still counts from the restored offset
            this.batchStart = startOffset;
        }

        @Override
        public RecordIterator<RawRecord> readBatch() throws IOException {
            long offset = batchStart >= 0 ? batchStart : lines.offset();
            long alreadyRead = batchStart >= 0 ? skippedAtOffset : 0;
            batchStart = -1;
            skippedAtOffset = 0;
            List<RawRecord> batch = new ArrayList<>();
            long bytes = 0;
            while (batch.size() < BATCH_RECORDS && bytes < BATCH_BYTES) {
                RawRecord record = lines.next();
                if (record == null) {
                    break;
                }
                bytes += record.text.length() + 64;
                batch.add(format.decode(record));
            }
            if (batch.isEmpty()) {
                return null;
            }
            ArrayResultIterator<RawRecord> iterator = new ArrayResultIterator<>();
            iterator.set(batch.toArray(new RawRecord[0]), batch.size(), offset, alreadyRead);
            return iterator;
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
