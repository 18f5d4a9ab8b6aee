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

    /** Target size of data files, written and compacted ({@code tables maintain}). */
    public static final long TARGET_FILE_SIZE_BYTES = 128L * 1024 * 1024;

    /**
     * Properties every table shares: format v2, zstd Parquet, bounded metadata history, data files
     * of {@link #TARGET_FILE_SIZE_BYTES}, and no shuffle before the writers: rows reach the sinks
     * spread by customer already, and hashing by the month partition would send a day of live
     * traffic (one month) to a single writer. Each checkpoint therefore commits small files per
     * writer; {@code tables maintain} compacts them to the target size.
     */
    static final Map<String, String> COMMON_PROPERTIES =
            Map.of(
                    TableProperties.FORMAT_VERSION, "2",
                    TableProperties.PARQUET_COMPRESSION, "zstd",
                    TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
                    TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100",
                    // Several sinks commit to one catalog at each checkpoint; let them retry.
                    TableProperties.COMMIT_NUM_RETRIES, "10",
                    TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                            String.valueOf(TARGET_FILE_SIZE_BYTES),
                    TableProperties.WRITE_DISTRIBUTION_MODE,
                            TableProperties.WRITE_DISTRIBUTION_MODE_NONE);

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
                    PartitionSpec.builderFor(EVENTS_SCHEMA).month("occurred_at").build(),
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
                    PartitionSpec.builderFor(DEAD_LETTERS_SCHEMA).month("ingested_at").build(),
                    SortOrder.builderFor(DEAD_LETTERS_SCHEMA).asc("reason").build(),
                    COMMON_PROPERTIES);

    /** Columns shared by both feature tables; ids 1-5 are the key and times, features from 10. */
    private static List<Types.NestedField> featureColumns() {
        return List.of(
                required(
                        1,
                        "customer_key",
                        Types.StringType.get(),
                        "c:<customer_id> or a:<anonymous_id>"),
                optional(2, "customer_id", Types.StringType.get()),
                optional(3, "anonymous_id", Types.StringType.get()),
                required(
                        4,
                        "as_of",
                        Types.TimestampType.withZone(),
                        "Event time the values hold for"),
                required(5, "computed_at", Types.TimestampType.withZone(), "Processing time"),
                optional(10, "last_purchase_at", Types.TimestampType.withZone()),
                optional(11, "first_purchase_at", Types.TimestampType.withZone()),
                optional(12, "days_since_last_purchase", Types.LongType.get()),
                optional(13, "orders_7d", Types.LongType.get()),
                optional(14, "orders_30d", Types.LongType.get()),
                optional(15, "orders_60d", Types.LongType.get()),
                optional(16, "orders_90d", Types.LongType.get()),
                optional(17, "lifetime_orders", Types.LongType.get()),
                optional(18, "revenue_30d", Types.DoubleType.get()),
                optional(19, "revenue_90d", Types.DoubleType.get()),
                optional(20, "lifetime_revenue", Types.DoubleType.get()),
                optional(21, "avg_order_value", Types.DoubleType.get()),
                optional(22, "product_views_7d", Types.LongType.get()),
                optional(23, "sessions_7d", Types.LongType.get()),
                optional(24, "add_to_carts_7d", Types.LongType.get()),
                optional(
                        25,
                        "recently_viewed_products",
                        Types.ListType.ofOptional(100, Types.StringType.get())),
                optional(26, "cart_items", Types.LongType.get()),
                optional(27, "cart_value", Types.DoubleType.get()),
                optional(
                        28,
                        "cart_product_ids",
                        Types.ListType.ofOptional(101, Types.StringType.get())),
                optional(29, "emails_delivered_30d", Types.LongType.get()),
                optional(30, "email_opens_30d", Types.LongType.get()),
                optional(31, "email_clicks_30d", Types.LongType.get()),
                optional(32, "email_open_rate_30d", Types.DoubleType.get()),
                optional(33, "email_click_rate_30d", Types.DoubleType.get()),
                optional(34, "days_since_last_open", Types.LongType.get()),
                optional(35, "engagement_score", Types.DoubleType.get()),
                optional(
                        36,
                        "category_affinity",
                        Types.MapType.ofOptional(
                                102, 103, Types.StringType.get(), Types.DoubleType.get())),
                optional(
                        37,
                        "top_categories",
                        Types.ListType.ofOptional(104, Types.StringType.get())),
                optional(38, "age", Types.LongType.get()),
                optional(39, "loyalty_tier", Types.StringType.get()),
                optional(40, "country", Types.StringType.get()),
                optional(41, "timezone", Types.StringType.get()),
                optional(42, "email_consent", Types.StringType.get()),
                optional(43, "lifecycle_stage", Types.StringType.get()),
                optional(44, "attribute_score", Types.DoubleType.get()),
                optional(45, "suppressed", Types.StringType.get()),
                optional(46, "suppression_reason", Types.StringType.get()),
                optional(47, "suppressed_at", Types.TimestampType.withZone()),
                optional(48, "soft_bounces", Types.LongType.get()),
                optional(
                        60,
                        "segments",
                        Types.ListType.ofOptional(105, Types.StringType.get()),
                        "Ids of the segments the customer is a member of, sorted"),
                // declared features (personalize.features.declared), by name, one map per type:
                // the file may change without a change of the sink's schema
                optional(
                        61,
                        "declared_numbers",
                        Types.MapType.ofOptional(
                                120, 121, Types.StringType.get(), Types.DoubleType.get()),
                        "Declared number features (counts, sums, number attributes) by name"),
                optional(
                        62,
                        "declared_strings",
                        Types.MapType.ofOptional(
                                122, 123, Types.StringType.get(), Types.StringType.get()),
                        "Declared string features by name"),
                optional(
                        63,
                        "declared_booleans",
                        Types.MapType.ofOptional(
                                124, 125, Types.StringType.get(), Types.BooleanType.get()),
                        "Declared boolean features by name"),
                optional(
                        64,
                        "declared_string_lists",
                        Types.MapType.ofOptional(
                                126,
                                127,
                                Types.StringType.get(),
                                Types.ListType.ofOptional(128, Types.StringType.get())),
                        "Declared string-list features by name"),
                optional(
                        65,
                        "declared_times",
                        Types.MapType.ofOptional(
                                129, 130, Types.StringType.get(), Types.TimestampType.withZone()),
                        "Declared date features by name"));
    }

    /** Number of leading non-feature columns of the feature tables. */
    public static final int FEATURE_KEY_COLUMNS = 5;

    /**
     * Number of trailing columns of the feature tables that are no registry feature column: {@code
     * segments} and the five maps of declared features.
     */
    public static final int FEATURE_TRAILING_COLUMNS = 6;

    private static final Schema CUSTOMER_FEATURES_SCHEMA =
            new Schema(featureColumns(), java.util.Set.of(1));

    /**
     * The latest features per customer: one row per customer, upserted on {@code customer_key}
     * (equality deletes, format v2).
     */
    public static final TableDefinition CUSTOMER_FEATURES =
            new TableDefinition(
                    "customer_features",
                    CUSTOMER_FEATURES_SCHEMA,
                    PartitionSpec.unpartitioned(),
                    SortOrder.unsorted(),
                    // upserts: each key's changes go to one writer (hash on the key)
                    withProperties(
                            COMMON_PROPERTIES,
                            Map.of(
                                    TableProperties.UPSERT_ENABLED,
                                    "true",
                                    TableProperties.WRITE_DISTRIBUTION_MODE,
                                    TableProperties.WRITE_DISTRIBUTION_MODE_HASH)));

    private static final Schema CUSTOMER_FEATURES_HISTORY_SCHEMA = new Schema(featureColumns());

    /** Timestamped feature snapshots, for point-in-time correct training sets. */
    public static final TableDefinition CUSTOMER_FEATURES_HISTORY =
            new TableDefinition(
                    "customer_features_history",
                    CUSTOMER_FEATURES_HISTORY_SCHEMA,
                    PartitionSpec.builderFor(CUSTOMER_FEATURES_HISTORY_SCHEMA)
                            .month("as_of")
                            .build(),
                    SortOrder.builderFor(CUSTOMER_FEATURES_HISTORY_SCHEMA)
                            .asc("customer_key")
                            .asc("as_of")
                            .build(),
                    COMMON_PROPERTIES);

    private static final Schema SEGMENT_CHANGES_SCHEMA =
            new Schema(
                    required(1, "change_id", Types.StringType.get(), "Deterministic id"),
                    required(2, "customer_key", Types.StringType.get()),
                    optional(3, "customer_id", Types.StringType.get()),
                    required(4, "segment_id", Types.StringType.get()),
                    required(5, "change", Types.StringType.get(), "entered or exited"),
                    required(
                            6,
                            "membership",
                            Types.StringType.get(),
                            "After the change: member, not_member or unknown"),
                    optional(
                            7,
                            "reason",
                            Types.StringType.get(),
                            "Why unknown, removed, or left when merged into a customer"),
                    required(8, "event_time", Types.TimestampType.withZone(), "When it changed"),
                    required(9, "processed_at", Types.TimestampType.withZone()),
                    required(
                            10,
                            "rule_version",
                            Types.LongType.get(),
                            "Version of the segment definitions that decided it"));

    /** Every segment entered or left, with the rule version: who was in a segment when. */
    public static final TableDefinition SEGMENT_CHANGES =
            new TableDefinition(
                    "segment_changes",
                    SEGMENT_CHANGES_SCHEMA,
                    PartitionSpec.builderFor(SEGMENT_CHANGES_SCHEMA).month("event_time").build(),
                    SortOrder.builderFor(SEGMENT_CHANGES_SCHEMA)
                            .asc("segment_id")
                            .asc("event_time")
                            .build(),
                    COMMON_PROPERTIES);

    private static final Schema CART_ABANDONMENTS_SCHEMA =
            new Schema(
                    required(
                            1,
                            "abandonment_id",
                            Types.StringType.get(),
                            "Deterministic: customer and the abandoned cart change"),
                    required(2, "customer_key", Types.StringType.get()),
                    optional(3, "customer_id", Types.StringType.get()),
                    required(
                            4,
                            "status",
                            Types.StringType.get(),
                            "abandoned, reminder_due, recovered or emptied"),
                    required(
                            5,
                            "repeat",
                            Types.BooleanType.get(),
                            "An earlier abandonment of the same cart episode was recorded"),
                    optional(
                            6,
                            "episode_started_at",
                            Types.TimestampType.withZone(),
                            "First change of the cart episode"),
                    required(7, "last_change_at", Types.TimestampType.withZone()),
                    required(8, "abandoned_at", Types.TimestampType.withZone()),
                    required(
                            9,
                            "event_time",
                            Types.TimestampType.withZone(),
                            "When this lifecycle change happened"),
                    optional(
                            10,
                            "closing_event_id",
                            Types.StringType.get(),
                            "The purchase or removal that recovered or emptied the cart"),
                    required(11, "item_count", Types.IntegerType.get()),
                    required(12, "cart_value", Types.DoubleType.get()),
                    required(
                            13,
                            "items",
                            Types.ListType.ofRequired(
                                    100,
                                    Types.StructType.of(
                                            required(101, "product_id", Types.StringType.get()),
                                            optional(102, "category", Types.StringType.get()),
                                            required(103, "quantity", Types.IntegerType.get()),
                                            required(104, "price", Types.DoubleType.get())))),
                    required(
                            14,
                            "recommendations",
                            Types.ListType.ofRequired(
                                    110,
                                    Types.StructType.of(
                                            required(111, "product_id", Types.StringType.get()),
                                            optional(112, "name", Types.StringType.get()),
                                            optional(113, "category", Types.StringType.get()),
                                            optional(114, "price", Types.DoubleType.get()),
                                            optional(115, "image_url", Types.StringType.get()),
                                            required(
                                                    116,
                                                    "source",
                                                    Types.StringType.get(),
                                                    "co_occurrence, trending_category or popular"),
                                            required(117, "score", Types.DoubleType.get()))),
                            "Top products for abandoned and reminder_due; empty otherwise"),
                    required(15, "processed_at", Types.TimestampType.withZone()));

    /** One row per abandonment lifecycle change: abandoned, reminder due, recovered, emptied. */
    public static final TableDefinition CART_ABANDONMENTS =
            new TableDefinition(
                    "cart_abandonments",
                    CART_ABANDONMENTS_SCHEMA,
                    PartitionSpec.builderFor(CART_ABANDONMENTS_SCHEMA).month("event_time").build(),
                    SortOrder.builderFor(CART_ABANDONMENTS_SCHEMA)
                            .asc("customer_key")
                            .asc("event_time")
                            .build(),
                    COMMON_PROPERTIES);

    private static final Schema BROWSE_ABANDONMENTS_SCHEMA =
            new Schema(
                    required(1, "customer_key", Types.StringType.get()),
                    optional(2, "customer_id", Types.StringType.get()),
                    required(3, "product_id", Types.StringType.get()),
                    optional(4, "category", Types.StringType.get()),
                    required(
                            5,
                            "views",
                            Types.IntegerType.get(),
                            "Views of the product in the window up to the last view"),
                    required(6, "first_view_at", Types.TimestampType.withZone()),
                    required(7, "last_view_at", Types.TimestampType.withZone()),
                    required(
                            8,
                            "event_time",
                            Types.TimestampType.withZone(),
                            "Last view plus the quiet period"),
                    required(9, "processed_at", Types.TimestampType.withZone()),
                    optional(
                            10,
                            "recommendations",
                            Types.ListType.ofRequired(
                                    120,
                                    Types.StructType.of(
                                            required(121, "product_id", Types.StringType.get()),
                                            optional(122, "name", Types.StringType.get()),
                                            optional(123, "category", Types.StringType.get()),
                                            optional(124, "price", Types.DoubleType.get()),
                                            optional(125, "image_url", Types.StringType.get()),
                                            required(
                                                    126,
                                                    "source",
                                                    Types.StringType.get(),
                                                    "co_occurrence, trending_category or popular"),
                                            required(127, "score", Types.DoubleType.get()))),
                            "Top products seeded by the browsed product; null in rows written"
                                    + " before the column existed"));

    /** Products viewed again and again and not put in the cart. */
    public static final TableDefinition BROWSE_ABANDONMENTS =
            new TableDefinition(
                    "browse_abandonments",
                    BROWSE_ABANDONMENTS_SCHEMA,
                    PartitionSpec.builderFor(BROWSE_ABANDONMENTS_SCHEMA)
                            .month("event_time")
                            .build(),
                    SortOrder.builderFor(BROWSE_ABANDONMENTS_SCHEMA)
                            .asc("customer_key")
                            .asc("event_time")
                            .build(),
                    COMMON_PROPERTIES);

    private static final Schema IDENTITY_LINKS_SCHEMA =
            new Schema(
                    required(1, "link_id", Types.StringType.get()),
                    required(2, "anonymous_id", Types.StringType.get()),
                    required(3, "customer_id", Types.StringType.get()),
                    required(4, "customer_key", Types.StringType.get(), "c:<customer_id>"),
                    optional(
                            5,
                            "previous_customer_id",
                            Types.StringType.get(),
                            "The customer the anonymous id was linked to before (shared device)"),
                    required(
                            6,
                            "first_seen_at",
                            Types.TimestampType.withZone(),
                            "Event time of the visitor's first event seen"),
                    required(
                            7,
                            "linked_at",
                            Types.TimestampType.withZone(),
                            "Event time of the event that linked them"),
                    required(8, "source_event_id", Types.StringType.get()),
                    required(
                            9,
                            "restated_events",
                            Types.IntegerType.get(),
                            "Anonymous events counted again under the customer"),
                    required(10, "processed_at", Types.TimestampType.withZone()));

    /**
     * Anonymous ids linked to customers (an identify event, or any event carrying both ids): join
     * {@code anonymous_id} here to read older anonymous rows as the customer's.
     */
    public static final TableDefinition IDENTITY_LINKS =
            new TableDefinition(
                    "identity_links",
                    IDENTITY_LINKS_SCHEMA,
                    PartitionSpec.builderFor(IDENTITY_LINKS_SCHEMA).month("linked_at").build(),
                    SortOrder.builderFor(IDENTITY_LINKS_SCHEMA)
                            .asc("anonymous_id")
                            .asc("linked_at")
                            .build(),
                    COMMON_PROPERTIES);

    private static final Schema SCORES_SCHEMA =
            new Schema(
                    required(1, "customer_key", Types.StringType.get()),
                    optional(2, "customer_id", Types.StringType.get()),
                    required(3, "model", Types.StringType.get(), "Model name in the registry"),
                    required(
                            4,
                            "version",
                            Types.StringType.get(),
                            "Model version that scored (the failed one when fallback)"),
                    required(
                            5,
                            "role",
                            Types.StringType.get(),
                            "champion (drives decisions) or shadow (a challenger, recorded only)"),
                    required(6, "score", Types.DoubleType.get()),
                    optional(7, "label", Types.StringType.get(), "Class or cluster label"),
                    optional(
                            8,
                            "imputed_features",
                            Types.ListType.ofOptional(100, Types.StringType.get()),
                            "Features that were missing and took the model card's defaults"),
                    required(
                            9,
                            "fallback",
                            Types.BooleanType.get(),
                            "The score is the registry's fallback rule, not the model's"),
                    optional(10, "fallback_reason", Types.StringType.get()),
                    required(11, "as_of", Types.TimestampType.withZone(), "Event time scored"),
                    required(12, "scored_at", Types.TimestampType.withZone()),
                    optional(
                            13,
                            "probabilities",
                            Types.MapType.ofRequired(
                                    101, 102, Types.StringType.get(), Types.DoubleType.get()),
                            "Classifiers: the probability of every class, by label"));

    /**
     * Model scores: the last per customer, model and role of each event-time bucket (written when
     * the bucket closes, like the feature history), appended.
     */
    public static final TableDefinition SCORES =
            new TableDefinition(
                    "scores",
                    SCORES_SCHEMA,
                    PartitionSpec.builderFor(SCORES_SCHEMA).month("as_of").build(),
                    SortOrder.builderFor(SCORES_SCHEMA)
                            .asc("model")
                            .asc("customer_key")
                            .asc("as_of")
                            .build(),
                    COMMON_PROPERTIES);

    private static final Schema DECISIONS_SCHEMA =
            new Schema(
                    required(
                            1,
                            "decision_id",
                            Types.StringType.get(),
                            "Deterministic (customer, flow, triggering id): the idempotency key"),
                    required(2, "customer_key", Types.StringType.get()),
                    optional(3, "customer_id", Types.StringType.get()),
                    required(4, "flow_id", Types.StringType.get()),
                    required(5, "flows_version", Types.LongType.get()),
                    optional(6, "experiment_id", Types.StringType.get()),
                    optional(7, "variant", Types.StringType.get()),
                    required(
                            8,
                            "outcome",
                            Types.StringType.get(),
                            "to_send, suppressed, deferred, expired, held_out or replayed"),
                    required(
                            9,
                            "reasons",
                            Types.ListType.ofRequired(100, Types.StringType.get()),
                            "Why, in order"),
                    required(10, "trigger_kind", Types.StringType.get()),
                    required(11, "trigger_name", Types.StringType.get()),
                    required(12, "triggering_id", Types.StringType.get()),
                    required(
                            13,
                            "model_versions",
                            Types.MapType.ofRequired(
                                    101, 102, Types.StringType.get(), Types.StringType.get())),
                    required(
                            14,
                            "scores",
                            Types.MapType.ofRequired(
                                    103, 104, Types.StringType.get(), Types.DoubleType.get())),
                    required(
                            15,
                            "features",
                            Types.MapType.ofOptional(
                                    105, 106, Types.StringType.get(), Types.StringType.get()),
                            "The features the flow's rules read, at decision time"),
                    optional(16, "endpoint_id", Types.StringType.get()),
                    optional(17, "template_id", Types.StringType.get()),
                    required(
                            18,
                            "content_blocks",
                            Types.ListType.ofRequired(107, Types.StringType.get())),
                    required(
                            19,
                            "recommendations",
                            Types.ListType.ofRequired(
                                    110,
                                    Types.StructType.of(
                                            required(111, "product_id", Types.StringType.get()),
                                            optional(112, "name", Types.StringType.get()),
                                            optional(113, "category", Types.StringType.get()),
                                            optional(114, "price", Types.DoubleType.get()),
                                            optional(115, "image_url", Types.StringType.get()),
                                            required(116, "source", Types.StringType.get()),
                                            required(117, "score", Types.DoubleType.get())))),
                    required(
                            20,
                            "variables",
                            Types.MapType.ofOptional(
                                    120, 121, Types.StringType.get(), Types.StringType.get())),
                    required(21, "triggered_at", Types.TimestampType.withZone()),
                    required(
                            22,
                            "decided_at",
                            Types.TimestampType.withZone(),
                            "Event time of this outcome"),
                    optional(23, "deferred_until", Types.TimestampType.withZone()),
                    required(24, "processed_at", Types.TimestampType.withZone()),
                    optional(
                            25,
                            "features_as_of",
                            Types.TimestampType.withZone(),
                            "Event time of the features the decision read"));

    /**
     * The decision log: one row per decision outcome (a deferred decision gets another row, same
     * {@code decision_id}, when it is sent, suppressed or expires). Partitioned by month: decisions
     * are a small share of the events, and a replay of months of history would otherwise keep a
     * writer with this wide schema open per day.
     */
    public static final TableDefinition DECISIONS =
            new TableDefinition(
                    "decisions",
                    DECISIONS_SCHEMA,
                    PartitionSpec.builderFor(DECISIONS_SCHEMA).month("decided_at").build(),
                    SortOrder.builderFor(DECISIONS_SCHEMA)
                            .asc("flow_id")
                            .asc("customer_key")
                            .asc("decided_at")
                            .build(),
                    COMMON_PROPERTIES);

    /**
     * The final outcome of every decision: one row per {@code decision_id}, the last row the
     * decision log has for it (a deferred decision's row is replaced by its outcome when it is
     * decided), upserted on ({@code decision_id}, {@code triggered_at}). Counting decisions by
     * outcome is one query here; the log keeps every change. Partitioned by the month of the
     * trigger, which all rows of one decision share, so that an outcome replaces its deferred row
     * in the same partition.
     */
    public static final TableDefinition DECISIONS_LATEST =
            new TableDefinition(
                    "decisions_latest",
                    DECISIONS_SCHEMA,
                    PartitionSpec.builderFor(DECISIONS_SCHEMA).month("triggered_at").build(),
                    SortOrder.builderFor(DECISIONS_SCHEMA)
                            .asc("flow_id")
                            .asc("customer_key")
                            .asc("triggered_at")
                            .build(),
                    withProperties(
                            COMMON_PROPERTIES, Map.of(TableProperties.UPSERT_ENABLED, "true")));

    /** The columns {@link #DECISIONS_LATEST} is upserted on. */
    public static final List<String> DECISIONS_LATEST_KEY = List.of("decision_id", "triggered_at");

    private static Map<String, String> withProperties(
            Map<String, String> base, Map<String, String> extra) {
        Map<String, String> merged = new java.util.HashMap<>(base);
        merged.putAll(extra);
        return Map.copyOf(merged);
    }

    /** The table of {@link #all()} named {@code name}. */
    public static TableDefinition byName(String name) {
        for (TableDefinition table : all()) {
            if (table.name().equals(name)) {
                return table;
            }
        }
        throw new IllegalArgumentException("no table " + name);
    }

    /** All tables, in creation order. */
    public static List<TableDefinition> all() {
        return List.of(
                EVENTS,
                DEAD_LETTERS,
                CUSTOMER_FEATURES,
                CUSTOMER_FEATURES_HISTORY,
                SEGMENT_CHANGES,
                CART_ABANDONMENTS,
                BROWSE_ABANDONMENTS,
                SCORES,
                DECISIONS,
                DECISIONS_LATEST,
                DeliveryTables.DELIVERIES,
                DeliveryTables.CONVERSIONS,
                IDENTITY_LINKS);
    }
}
