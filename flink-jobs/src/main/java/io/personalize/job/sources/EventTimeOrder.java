package io.personalize.job.sources;

import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RawRecord;
import io.personalize.core.events.RecordIntake;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.operators.Order;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * Bounded history in event-time order, so that the event-time gate's lateness and retention rules
 * only apply to real lateness: a Flink job in batch execution reads the files, parses each record
 * once for its event time, sorts by event time (ties by a hash of the record, then file and byte
 * offset) with Flink's external sorter (managed memory, spilling to disk: the input may be larger
 * than the heap), and writes one time-ordered copy; the streaming job then reads that copy with
 * {@link #source}, which gives back every record as it was read, with its original position (so
 * event and dead-letter ids are the same as when the files are read directly).
 *
 * <p>Records that are not valid events sort first (they only go to dead letters). The copy lives in
 * a folder named by a fingerprint of the input (paths, sizes and modification times of its files,
 * the format and the size limit) and is marked complete by a {@value #COMPLETE} file: a restart
 * after a crash reuses it (a restored job reads the same copy it was reading), a changed input gets
 * a new one, and copies of other inputs are removed.
 *
 * <pre>{@code
 * Path ordered = EventTimeOrder.prepare(conf, input, format, intake, workDir, System.out);
 * FileSource<RawRecord> source = EventTimeOrder.source(ordered, maxBytes);
 * }</pre>
 */
public final class EventTimeOrder {
    /** Marks a complete copy; Flink's file source skips names starting with an underscore. */
    public static final String COMPLETE = "_COMPLETE";

    private static final String PREFIX = "ordered-";
    private static final String RECORDS_FILE = "records.lines";
    private static final String VERSION = "1";

    private EventTimeOrder() {}

    /**
     * The folder of the time-ordered copy of {@code input}, written by a batch job unless a
     * complete one is there already.
     *
     * @param conf the run's configuration (the batch job runs where the run runs, without its
     *     checkpointing or state recovery)
     * @param workDir the folder copies live in ({@code <personalize.state.dir>/history-order})
     */
    public static Path prepare(
            Configuration conf,
            Path input,
            String formatName,
            RecordIntake intake,
            int maxBytes,
            Path workDir,
            PrintStream out)
            throws Exception {
        Path copy = workDir.resolve(PREFIX + fingerprint(input, formatName, maxBytes));
        removeOtherCopies(workDir, copy);
        if (Files.exists(copy.resolve(COMPLETE))) {
            out.printf("input in event-time order: reusing %s%n", copy);
            return copy;
        }
        deleteRecursively(copy);
        long started = System.nanoTime();
        long records = sort(conf, input, intake, maxBytes, copy);
        Files.writeString(copy.resolve(COMPLETE), records + "\n");
        out.printf(
                "input in event-time order: %,d records sorted in %.1f s into %s%n",
                records, (System.nanoTime() - started) / 1e9, copy);
        return copy;
    }

    /**
     * Removes a copy once the run that read it has finished: it holds the input's records as they
     * are (personal data included, as in the input), and only a resumed run needs it.
     */
    public static void remove(Path copy) throws IOException {
        deleteRecursively(copy);
    }

    /** The records of a copy written by {@link #prepare}, as read from the original files. */
    public static FileSource<RawRecord> source(Path copy, int maxBytes) {
        if (!Files.exists(copy.resolve(COMPLETE))) {
            throw new IllegalStateException(copy + " is not a complete time-ordered copy");
        }
        org.apache.flink.core.fs.Path root =
                new org.apache.flink.core.fs.Path(copy.toAbsolutePath().toUri());
        return FileSource.forBulkFileFormat(
                        new OrderedCopyFormat(root, copyLineBytes(maxBytes)), root)
                .build();
    }

    /** Runs the batch job; returns the number of records written. */
    private static long sort(
            Configuration runConf, Path input, RecordIntake intake, int maxBytes, Path copy)
            throws Exception {
        Configuration conf = new Configuration(runConf);
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        conf.removeConfig(StateRecoveryOptions.SAVEPOINT_PATH);
        conf.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        String source = input.getFileName().toString();
        env.fromSource(
                        FileInputs.source(input, null, maxBytes),
                        WatermarkStrategy.noWatermarks(),
                        "Files: " + source)
                .map(
                        new Timed(intake, source, System.currentTimeMillis()),
                        TypeInformation.of(TimedRecord.class))
                .name("Event time of each record")
                .fullWindowPartition()
                .sortPartition(new OrderKey(), Order.ASCENDING)
                .setParallelism(1)
                .name("Sort by event time")
                .map(TimedRecord::line, Types.STRING)
                .setParallelism(1)
                .name("Encode")
                .sinkTo(
                        FileSink.forRowFormat(
                                        new org.apache.flink.core.fs.Path(
                                                copy.toAbsolutePath().toUri()),
                                        new SimpleStringEncoder<String>())
                                .withBucketAssigner(new BasePathBucketAssigner<>())
                                // one file: a size or time roll would split the order over files
                                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                                .withOutputFileConfig(
                                        OutputFileConfig.builder()
                                                .withPartPrefix("ordered")
                                                .withPartSuffix(".lines")
                                                .build())
                                .build())
                .setParallelism(1)
                .name("Time-ordered copy");
        JobExecutionResult result = env.execute("personalize: input in event-time order");
        List<Path> parts = parts(copy);
        if (parts.size() != 1) {
            throw new IllegalStateException(
                    "the time-ordered copy " + copy + " has " + parts.size() + " files, not one");
        }
        // A fixed name: a restored job reads the file its checkpoint names, and a copy made again
        // (the same input sorts the same) must be that file.
        Files.move(parts.get(0), copy.resolve(RECORDS_FILE));
        Long records = result.getAccumulatorResult(Timed.RECORDS);
        return records == null ? 0 : records;
    }

    private static List<Path> parts(Path copy) throws IOException {
        List<Path> parts = new ArrayList<>();
        if (Files.isDirectory(copy)) {
            try (Stream<Path> files = Files.list(copy)) {
                files.filter(p -> !p.getFileName().toString().startsWith("."))
                        .filter(p -> !p.getFileName().toString().startsWith("_"))
                        .forEach(parts::add);
            }
        }
        return parts;
    }

    /**
     * A fingerprint of what the copy is made of: every file of the input (relative path, size,
     * modification time), the format, the size limit and the layout of the copy.
     */
    static String fingerprint(Path input, String formatName, int maxBytes) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path root = input.toAbsolutePath().normalize();
        StringBuilder what = new StringBuilder();
        what.append(VERSION).append('\n').append(root).append('\n');
        what.append(formatName).append('\n').append(maxBytes).append('\n');
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            what.append(root.relativize(file))
                    .append('\t')
                    .append(Files.size(file))
                    .append('\t')
                    .append(Files.getLastModifiedTime(file).toMillis())
                    .append('\n');
        }
        byte[] hash = digest.digest(what.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, 8);
    }

    private static void removeOtherCopies(Path workDir, Path keep) throws IOException {
        if (!Files.isDirectory(workDir)) {
            Files.createDirectories(workDir);
            return;
        }
        try (Stream<Path> copies = Files.list(workDir)) {
            for (Path other : copies.toList()) {
                if (!other.equals(keep) && other.getFileName().toString().startsWith(PREFIX)) {
                    deleteRecursively(other);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        FileSystem fs = FileSystem.getLocalFileSystem();
        org.apache.flink.core.fs.Path flinkPath =
                new org.apache.flink.core.fs.Path(path.toAbsolutePath().toUri());
        FileStatus status = fs.getFileStatus(flinkPath);
        fs.delete(status.getPath(), true);
    }

    /**
     * The longest line of a copy: a record of at most {@code maxBytes}, escaped, and its fields.
     */
    static int copyLineBytes(int maxBytes) {
        long longest = 2L * Math.max(maxBytes, RawRecord.PREFIX_BYTES) + 4096;
        return (int) Math.min(Integer.MAX_VALUE - 8, longest);
    }

    // ---- the records of the copy ------------------------------------------------------------

    /**
     * A record with its event time ({@link Long#MIN_VALUE} when it is not a valid event) and where
     * it was read. A Flink POJO.
     */
    public static class TimedRecord {
        public long eventTime;
        public long textHash;
        public String file;
        public long offset;
        public RawRecord record;

        public TimedRecord() {}

        /** One line of the copy: {@code position, flags, size, sha256, text}, tab-separated. */
        public String line() {
            StringBuilder line = new StringBuilder(record.text.length() + 96);
            escape(record.position, line);
            line.append('\t');
            if (record.truncated) {
                line.append('t');
            }
            if (record.malformedEncoding) {
                line.append('m');
            }
            line.append('\t').append(record.sizeBytes).append('\t');
            escape(record.sha256, line);
            line.append('\t');
            escape(record.text, line);
            return line.toString();
        }
    }

    /** The record a line of the copy stands for ({@link TimedRecord#line}). */
    static RawRecord fromLine(String line) {
        String[] fields = line.split("\t", 5);
        if (fields.length != 5) {
            throw new UncheckedIOException(
                    new IOException(
                            "not a line of a time-ordered copy: " + fields.length + " fields"));
        }
        RawRecord record = new RawRecord();
        record.position = unescape(fields[0]);
        record.truncated = fields[1].indexOf('t') >= 0;
        record.malformedEncoding = fields[1].indexOf('m') >= 0;
        record.sizeBytes = Long.parseLong(fields[2]);
        record.sha256 = unescape(fields[3]);
        record.text = unescape(fields[4]);
        return record;
    }

    /** {@code null} as an empty field; backslash, tab, line feed and carriage return escaped. */
    private static void escape(String value, StringBuilder out) {
        if (value == null) {
            return;
        }
        out.append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    private static String unescape(String field) {
        if (field.isEmpty()) {
            return null;
        }
        if (field.indexOf('\\') < 0) {
            return field.substring(1);
        }
        StringBuilder value = new StringBuilder(field.length());
        for (int i = 1; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                value.append(
                        switch (next) {
                            case 't' -> '\t';
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            default -> next;
                        });
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    /** Parses a record for its event time only; never throws on data. */
    static final class Timed extends RichMapFunction<RawRecord, TimedRecord> {
        private static final long serialVersionUID = 1L;
        static final String RECORDS = "ordered_records";
        private final RecordIntake intake;
        private final String source;
        private final long readAt;
        private transient LongCounter records;

        /**
         * @param readAt when the input is read, for the intake's bound on event times in the future
         *     (one instant for the whole input, so the order does not depend on the clock)
         */
        Timed(RecordIntake intake, String source, long readAt) {
            this.intake = intake;
            this.source = source;
            this.readAt = readAt;
        }

        @Override
        public void open(OpenContext openContext) {
            records = getRuntimeContext().getLongCounter(RECORDS);
        }

        @Override
        public TimedRecord map(RawRecord record) {
            records.add(1);
            TimedRecord timed = new TimedRecord();
            timed.record = record;
            timed.eventTime = Long.MIN_VALUE;
            try {
                ParseResult result = intake.parse(record, source, readAt);
                if (result.isValid()) {
                    timed.eventTime = result.event().occurredAt;
                }
            } catch (RuntimeException e) {
                // the streaming job's parser dead-letters it; here it only sorts first
            }
            timed.textHash = fnv1a(record.text);
            String position = record.position == null ? "" : record.position;
            int at = position.lastIndexOf('@');
            timed.file = at < 0 ? position : position.substring(0, at);
            timed.offset = at < 0 ? 0 : Long.parseLong(position.substring(at + 1));
            return timed;
        }
    }

    /** 64-bit FNV-1a of the characters: the same record text has the same hash in any file. */
    static long fnv1a(String text) {
        long hash = 0xcbf29ce484222325L;
        if (text != null) {
            for (int i = 0; i < text.length(); i++) {
                hash ^= text.charAt(i);
                hash *= 0x100000001b3L;
            }
        }
        return hash;
    }

    /**
     * Event time, then a hash of the record's text, then file and byte offset: records of one
     * instant come in the same order whatever order the files hold them in (so a shuffled file and
     * its sorted copy stream alike), and the order is total.
     *
     * <p>One string whose natural order is that order (fixed-width hex with the sign bit flipped,
     * the file name ended by a NUL): {@code sortPartition} with a tuple key compares only the
     * tuple's first field.
     */
    static final class OrderKey implements KeySelector<TimedRecord, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(TimedRecord timed) {
            return orderKey(timed.eventTime, timed.textHash, timed.file, timed.offset);
        }
    }

    static String orderKey(long eventTime, long textHash, String file, long offset) {
        char[] key = new char[16 + 16 + file.length() + 1 + 16];
        hex(eventTime ^ Long.MIN_VALUE, key, 0);
        hex(textHash ^ Long.MIN_VALUE, key, 16);
        file.getChars(0, file.length(), key, 32);
        key[32 + file.length()] = '\0';
        hex(offset ^ Long.MIN_VALUE, key, 33 + file.length());
        return new String(key);
    }

    private static void hex(long value, char[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = Character.forDigit((int) (value & 0xF), 16);
            value >>>= 4;
        }
    }

    /** Reads a copy's lines back as the records they encode. */
    static final class OrderedCopyFormat extends RawLineFormat {
        private static final long serialVersionUID = 1L;

        OrderedCopyFormat(org.apache.flink.core.fs.Path root, int maxBytes) {
            super(root, maxBytes);
        }

        @Override
        protected RawRecord decode(RawRecord line) {
            return fromLine(line.text);
        }
    }
}
