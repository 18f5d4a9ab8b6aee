package io.personalize.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.Event;
import io.personalize.core.events.ParseResult;
import io.personalize.core.features.FeatureType;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.core.training.TrainingSet;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code training-set}: point-in-time training rows from a warehouse's {@code events} table, with
 * the job's own feature code ({@link TrainingSet}), as CSV or Parquet, for training in any tool.
 *
 * <p>Each event is read back from its {@code payload} (the envelope as the job stored it) and
 * parsed as the job parses it; an anonymous event counts under the customer {@code identity_links}
 * first linked its anonymous id to (a visitor who never logged in has no rows). Erased customers
 * have no events left, so no rows.
 */
@Command(
        name = "training-set",
        mixinStandardHelpOptions = true,
        description =
                "Point-in-time training rows from the events table: per customer and snapshot"
                        + " time, every feature as the job computes it from the events up to that"
                        + " time, and labels from what happened after it; CSV or Parquet.")
public final class TrainingSetCommand implements Callable<Integer> {
    @Option(
            names = "--warehouse",
            paramLabel = "DIR",
            description =
                    "Local warehouse the demo wrote (default: demo-output/warehouse); ignored when"
                            + " --config names a catalog.")
    Path warehouse = Path.of("demo-output", "warehouse");

    @Option(
            names = "--output",
            required = true,
            paramLabel = "FILE",
            description = "Where the rows go: FILE.csv, or FILE.parquet.")
    Path output;

    @Option(
            names = "--every",
            paramLabel = "DURATION",
            description = "Time between two snapshots of a customer (default: 7 d).")
    String every = "7 d";

    @Option(
            names = "--from",
            paramLabel = "DATE",
            description =
                    "First snapshot time (YYYY-MM-DD or an ISO instant; default: the day of the"
                            + " first event, plus 30 days of history).")
    String from;

    @Option(
            names = "--to",
            paramLabel = "DATE",
            description =
                    "End of the history the labels may read (default: the last event); the last"
                            + " snapshot is 90 days before it.")
    String to;

    @Mixin ConfigMixin config;

    /** Parsing only reads what the features need; hashes made with it are never kept. */
    private static final String PARSE_ONLY_SECRET = "training-set-parse-only-secret";

    private final PrintStream out;

    public TrainingSetCommand() {
        this(System.out);
    }

    TrainingSetCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        String name = output.getFileName().toString();
        boolean parquet = name.endsWith(".parquet");
        if (!parquet && !name.endsWith(".csv")) {
            throw new IllegalArgumentException(
                    "--output must end with .csv or .parquet: " + output);
        }
        Configuration conf = ConfigLoader.withJobDefaults(config.load(List.of()));
        CatalogSettings catalog = JobSettings.catalog(conf, warehouse.toAbsolutePath());
        Catalog tables = catalog.catalogLoader().loadCatalog();
        Map<String, List<Event>> byCustomer =
                histories(
                        TableReader.readAll(
                                tables.loadTable(
                                        Tables.EVENTS.identifier(catalog.icebergNamespace())),
                                "payload",
                                "ingested_at"),
                        TableReader.readAll(
                                tables.loadTable(
                                        Tables.IDENTITY_LINKS.identifier(
                                                catalog.icebergNamespace())),
                                "anonymous_id",
                                "customer_key",
                                "linked_at"));
        if (byCustomer.isEmpty()) {
            throw new IllegalArgumentException("the events table holds no customer's events");
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (List<Event> events : byCustomer.values()) {
            first = Math.min(first, events.get(0).occurredAt);
            last = Math.max(last, events.get(events.size() - 1).occurredAt);
        }
        long start =
                from != null
                        ? instant(from)
                        : Instant.ofEpochMilli(first)
                                .truncatedTo(ChronoUnit.DAYS)
                                .plus(Duration.ofDays(30))
                                .toEpochMilli();
        long end = to != null ? instant(to) : last;
        List<Long> times = TrainingSet.times(start, end, TimeUtils.parseDuration(every));
        if (times.isEmpty()) {
            throw new IllegalArgumentException(
                    "no snapshot time from "
                            + Instant.ofEpochMilli(start)
                            + ": each needs 90 days of history after it for its labels, and the"
                            + " history ends "
                            + Instant.ofEpochMilli(end)
                            + " (set --from earlier or --to later)");
        }
        TrainingSet set =
                new TrainingSet(JobSettings.featureConfig(conf), JobSettings.declared(conf));
        Path target = output.toAbsolutePath();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        long rows =
                parquet
                        ? writeParquet(set, byCustomer, times, target)
                        : writeCsv(set, byCustomer, times, target);
        out.printf(
                "%d rows (%d customers, %d snapshot times from %s every %s, %d columns) written to"
                        + " %s%n",
                rows,
                byCustomer.size(),
                times.size(),
                Instant.ofEpochMilli(times.get(0)),
                every,
                set.columns().size(),
                target);
        return 0;
    }

    /**
     * The events of each customer in (event time, event id) order, anonymous ones under the
     * customer their id was first linked to.
     */
    static Map<String, List<Event>> histories(List<Record> events, List<Record> links) {
        Map<String, String> customerOf = new HashMap<>();
        Map<String, OffsetDateTime> linkedAt = new HashMap<>();
        for (Record link : links) {
            String anonymous = (String) link.getField("anonymous_id");
            OffsetDateTime at = (OffsetDateTime) link.getField("linked_at");
            if (!linkedAt.containsKey(anonymous) || at.isBefore(linkedAt.get(anonymous))) {
                linkedAt.put(anonymous, at);
                customerOf.put(anonymous, (String) link.getField("customer_key"));
            }
        }
        EnvelopeParser parser =
                new EnvelopeParser(
                        new PersonalDataScrubber(PARSE_ONLY_SECRET),
                        EnvelopeParser.DEFAULT_MAX_BYTES,
                        Duration.ofDays(3650));
        Map<String, List<Event>> byCustomer = new TreeMap<>();
        for (Record row : events) {
            long ingested =
                    ((OffsetDateTime) row.getField("ingested_at")).toInstant().toEpochMilli();
            ParseResult parsed = parser.parse((String) row.getField("payload"), "events", ingested);
            if (!parsed.isValid()) {
                continue; // stored valid; a payload the parser now refuses counts nowhere
            }
            Event event = parsed.event();
            String key =
                    event.customerId != null
                            ? event.customerKey()
                            : customerOf.get(event.anonymousId);
            if (key == null) {
                continue; // a visitor who never logged in
            }
            event.payload = null;
            byCustomer.computeIfAbsent(key, k -> new ArrayList<>()).add(event);
        }
        Comparator<Event> order =
                Comparator.<Event>comparingLong(e -> e.occurredAt)
                        .thenComparing(e -> e.eventId, Comparator.nullsFirst(String::compareTo));
        byCustomer.values().forEach(list -> list.sort(order));
        return byCustomer;
    }

    private static long instant(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        }
        return Instant.parse(text).toEpochMilli();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static long writeCsv(
            TrainingSet set, Map<String, List<Event>> byCustomer, List<Long> times, Path file)
            throws IOException {
        String[] header =
                set.columns().stream().map(TrainingSet.Column::name).toArray(String[]::new);
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter csv =
                        CSVFormat.RFC4180.builder().setHeader(header).get().print(writer)) {
            List<TrainingSet.Column> columns = set.columns();
            return set.write(
                    byCustomer,
                    times,
                    values -> {
                        List<String> cells = new ArrayList<>(values.size());
                        for (int i = 0; i < values.size(); i++) {
                            cells.add(csvCell(columns.get(i).type(), values.get(i)));
                        }
                        csv.printRecord(cells);
                    });
        }
    }

    /** A cell: timestamps as ISO instants, lists and maps as JSON, missing values empty. */
    private static String csvCell(FeatureType type, Object value) throws IOException {
        if (value == null) {
            return "";
        }
        return switch (type) {
            case TIMESTAMP -> Instant.ofEpochMilli((Long) value).toString();
            case STRING_LIST, STRING_DOUBLE_MAP -> JSON.writeValueAsString(value);
            default -> value.toString();
        };
    }

    private static long writeParquet(
            TrainingSet set, Map<String, List<Event>> byCustomer, List<Long> times, Path file)
            throws IOException {
        List<TrainingSet.Column> columns = set.columns();
        Schema schema = parquetSchema(set);
        Files.deleteIfExists(file);
        try (FileAppender<Record> appender =
                Parquet.write(org.apache.iceberg.Files.localOutput(file.toFile()))
                        .schema(schema)
                        .createWriterFunc(GenericParquetWriter::create)
                        .build()) {
            return set.write(
                    byCustomer,
                    times,
                    values -> {
                        GenericRecord record = GenericRecord.create(schema);
                        for (int i = 0; i < values.size(); i++) {
                            record.set(i, parquetValue(columns.get(i).type(), values.get(i)));
                        }
                        appender.add(record);
                    });
        }
    }

    /** The Parquet file's schema: every column optional, lists and maps with their own ids. */
    static Schema parquetSchema(TrainingSet set) {
        List<Types.NestedField> fields = new ArrayList<>();
        int id = 1;
        for (TrainingSet.Column column : set.columns()) {
            fields.add(
                    Types.NestedField.optional(
                            id,
                            column.name(),
                            icebergType(column.type(), 10_000 + 2 * id),
                            column.description()));
            id++;
        }
        return new Schema(fields);
    }

    private static Type icebergType(FeatureType type, int nestedIds) {
        return switch (type) {
            case LONG -> Types.LongType.get();
            case DOUBLE -> Types.DoubleType.get();
            case STRING -> Types.StringType.get();
            case BOOLEAN -> Types.BooleanType.get();
            case TIMESTAMP -> Types.TimestampType.withZone();
            case STRING_LIST -> Types.ListType.ofOptional(nestedIds, Types.StringType.get());
            case STRING_DOUBLE_MAP ->
                    Types.MapType.ofOptional(
                            nestedIds,
                            nestedIds + 1,
                            Types.StringType.get(),
                            Types.DoubleType.get());
        };
    }

    private static Object parquetValue(FeatureType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case TIMESTAMP -> Instant.ofEpochMilli((Long) value).atOffset(ZoneOffset.UTC);
            case LONG -> ((Number) value).longValue();
            case DOUBLE -> ((Number) value).doubleValue();
            default -> value;
        };
    }
}
