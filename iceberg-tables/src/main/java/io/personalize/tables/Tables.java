package io.personalize.tables;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.types.Types;

/**
 * Every table the job writes. Analysts and data scientists read these with Trino, Spark, DuckDB or
 * PyIceberg; field ids are stable, so columns may be added but never renumbered.
 */
public final class Tables {
    private Tables() {}

    /** Properties every table shares: format v2, zstd Parquet, bounded metadata history. */
    static final Map<String, String> COMMON_PROPERTIES =
            Map.of(
                    TableProperties.FORMAT_VERSION, "2",
                    TableProperties.PARQUET_COMPRESSION, "zstd",
                    TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
                    TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100",
                    // Several sinks commit to one catalog at each checkpoint; let them retry.
                    TableProperties.COMMIT_NUM_RETRIES, "10");

    private static final Schema EVENTS_SCHEMA =
            new Schema(
                    required(1, "event_id", Types.StringType.get(), "Unique id of the event"),
                    required(2, "event_type", Types.StringType.get(), "Envelope event type"),
                    required(3, "occurred_at", Types.TimestampType.withZone(), "Event time (UTC)"),
                    required(4, "ingested_at", Types.TimestampType.withZone(), "When it was read"),
                    optional(5, "customer_id", Types.StringType.get()),
                    optional(6, "anonymous_id", Types.StringType.get()),
                    optional(7, "session_id", Types.StringType.get()),
                    optional(8, "source", Types.StringType.get(), "Input file or topic"),
                    optional(9, "product_id", Types.StringType.get(), "First product of the event"),
                    optional(10, "order_id", Types.StringType.get()),
                    optional(11, "amount", Types.DoubleType.get(), "Order total or price x qty"),
                    optional(12, "currency", Types.StringType.get()),
                    required(
                            13,
                            "payload",
                            Types.StringType.get(),
                            "The whole envelope as JSON, personal fields hashed or dropped"));

    /** Every valid event, for history, backfill and training sets. */
    public static final TableDefinition EVENTS =
            new TableDefinition(
                    "events",
                    EVENTS_SCHEMA,
                    PartitionSpec.builderFor(EVENTS_SCHEMA).day("occurred_at").build(),
                    SortOrder.builderFor(EVENTS_SCHEMA)
                            .asc("customer_id")
                            .asc("occurred_at")
                            .build(),
                    COMMON_PROPERTIES);

    private static final Schema DEAD_LETTERS_SCHEMA =
            new Schema(
                    required(1, "dead_letter_id", Types.StringType.get(), "Deterministic id"),
                    required(
                            2,
                            "stage",
                            Types.StringType.get(),
                            "Where it was refused: intake, ..."),
                    required(3, "reason", Types.StringType.get(), "Stable reason code"),
                    required(4, "message", Types.StringType.get(), "Human-readable explanation"),
                    optional(5, "source", Types.StringType.get()),
                    optional(6, "raw_payload", Types.StringType.get(), "The record, scrubbed"),
                    required(7, "ingested_at", Types.TimestampType.withZone()),
                    optional(8, "event_id", Types.StringType.get()),
                    optional(9, "event_type", Types.StringType.get()),
                    optional(10, "occurred_at", Types.TimestampType.withZone()),
                    optional(11, "customer_id", Types.StringType.get()));

    /** Everything refused, with the reason: nothing is dropped silently. */
    public static final TableDefinition DEAD_LETTERS =
            new TableDefinition(
                    "dead_letters",
                    DEAD_LETTERS_SCHEMA,
                    PartitionSpec.builderFor(DEAD_LETTERS_SCHEMA).day("ingested_at").build(),
                    SortOrder.builderFor(DEAD_LETTERS_SCHEMA).asc("reason").build(),
                    COMMON_PROPERTIES);

    /** All tables, in creation order. */
    public static List<TableDefinition> all() {
        return List.of(EVENTS, DEAD_LETTERS);
    }
}
