package io.personalize.job.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.personalize.core.events.EventLimits;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.privacy.PersonalDataPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every option of the job, typed, with its default and description. Flink's own options ({@code
 * execution.checkpointing.interval}, {@code state.backend.type}, {@code parallelism.default}, ...)
 * are set in the same configuration file and passed to Flink unchanged.
 */
public final class PersonalizeOptions {
    private PersonalizeOptions() {}

    // ---- input ------------------------------------------------------------------------------

    public static final ConfigOption<String> INPUT_PATH =
            key("personalize.input.path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("File or directory to read events from.");

    public static final ConfigOption<String> INPUT_FORMAT =
            key("personalize.input.format")
                    .stringType()
                    .defaultValue("envelope")
                    .withDescription("Record format: envelope, clickstream-csv or retail-csv.");

    public static final ConfigOption<String> INPUT_CSV_ZONE =
            key("personalize.input.csv-zone")
                    .stringType()
                    .defaultValue("UTC")
                    .withDescription("Time zone of CSV times that carry none (retail-csv).");

    public static final ConfigOption<Duration> INPUT_MONITOR_INTERVAL =
            key("personalize.input.monitor-interval")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "When set, keep watching the input directory for new files at this"
                                    + " interval (an unbounded run); else read what is there and end.");

    public static final ConfigOption<String> INPUT_ORDER =
            key("personalize.input.order")
                    .stringType()
                    .defaultValue("event-time")
                    .withDescription(
                            "Order in which bounded file input (run on files, the history of"
                                    + " history-then-kafka, demo --input) is streamed: event-time"
                                    + " (a Flink batch job first writes a copy sorted by event time,"
                                    + " ties in file order, under <state.dir>/history-order) or"
                                    + " as-read (the files as they are, for input already in time"
                                    + " order).");

    public static final ConfigOption<Boolean> IDENTITY_STITCHING =
            key("personalize.identity.stitching")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Merge an anonymous visitor's events into the customer who logs in"
                                    + " (identify, or any event with both ids), by event time:"
                                    + " a streaming run, a batch replay and history-then-kafka"
                                    + " give the same rows with it.");

    public static final ConfigOption<Integer> IDENTITY_BUFFER_EVENTS =
            key("personalize.identity.buffer-events")
                    .intType()
                    .defaultValue(200)
                    .withDescription(
                            "Identity stitching: the most recent events of an anonymous visitor"
                                    + " kept (within the retention) to count under the customer"
                                    + " when the visitor logs in.");

    public static final ConfigOption<String> INPUT_SOURCE =
            key("personalize.input.source")
                    .stringType()
                    .defaultValue("files")
                    .withDescription(
                            "Where events come from: files (personalize.input.path), kafka"
                                    + " (personalize.kafka.events-topic) or history-then-kafka"
                                    + " (the files of personalize.input.path, read to their end,"
                                    + " then the Kafka topic).");

    // ---- kafka ------------------------------------------------------------------------------

    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
            key("personalize.kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Kafka brokers, host:port,host:port.");

    public static final ConfigOption<String> KAFKA_EVENTS_TOPIC =
            key("personalize.kafka.events-topic")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Topic of the events, one record per message (the value, UTF-8, in"
                                    + " personalize.input.format); the key is not read.");

    public static final ConfigOption<String> KAFKA_GROUP_ID =
            key("personalize.kafka.group-id")
                    .stringType()
                    .defaultValue("personalize")
                    .withDescription(
                            "Consumer group id; offsets are committed to it at checkpoints (for"
                                    + " monitoring and the committed starting offsets).");

    public static final ConfigOption<String> KAFKA_STARTING_OFFSETS =
            key("personalize.kafka.starting-offsets")
                    .stringType()
                    .defaultValue("committed")
                    .withDescription(
                            "Where a job without a checkpoint starts reading: earliest, latest or"
                                    + " committed (the group's committed offsets, earliest where"
                                    + " none). A restore from a checkpoint or savepoint always"
                                    + " resumes at its own offsets.");

    public static final ConfigOption<Map<String, String>> KAFKA_PROPERTIES =
            key("personalize.kafka.properties")
                    .mapType()
                    .noDefaultValue()
                    .withDescription(
                            "Extra Kafka client properties for the source and the sink, e.g."
                                    + " security.protocol:SASL_SSL,sasl.mechanism:SCRAM-SHA-512,"
                                    + " or one key each: personalize.kafka.properties.<name>.");

    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE =
            key("personalize.kafka.properties-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A Java .properties file merged over personalize.kafka.properties"
                                    + " (its entries win): how credentials such as"
                                    + " sasl.jaas.config come from a mounted Kubernetes Secret.");

    public static final ConfigOption<String> KAFKA_DECISIONS_TOPIC =
            key("personalize.kafka.decisions-topic")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Topic every decision outcome is written to (key: customer key,"
                                    + " value: the decision as JSON); unset: no Kafka decisions"
                                    + " sink.");

    public static final ConfigOption<String> KAFKA_DELIVERY_GUARANTEE =
            key("personalize.kafka.delivery-guarantee")
                    .stringType()
                    .defaultValue("at-least-once")
                    .withDescription(
                            "Decisions topic: at-least-once (flushed at checkpoints) or"
                                    + " exactly-once (Kafka transactions committed at checkpoints;"
                                    + " readers use isolation.level=read_committed).");

    public static final ConfigOption<String> KAFKA_TRANSACTIONAL_ID_PREFIX =
            key("personalize.kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("personalize-decisions")
                    .withDescription(
                            "Prefix of the Kafka transactional ids of an exactly-once decisions"
                                    + " sink; unique per job writing to the cluster.");

    // ---- validation -------------------------------------------------------------------------

    public static final ConfigOption<Integer> MAX_EVENT_BYTES =
            key("personalize.validation.max-event-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription("Records larger than this go to dead letters (too_large).");

    public static final ConfigOption<Double> INPUT_MAX_AMOUNT =
            key("personalize.input.max-amount")
                    .doubleType()
                    .defaultValue(EventLimits.DEFAULTS.maxAmount())
                    .withDescription(
                            "The largest price, order total or line amount (price times quantity)"
                                    + " an event may carry, in its currency; larger, negative,"
                                    + " NaN or infinite amounts are refused (invalid_price). At"
                                    + " most 1e15, so that every sum of amounts stays finite.");

    public static final ConfigOption<String> INPUT_EARLIEST_EVENT_TIME =
            key("personalize.input.earliest-event-time")
                    .stringType()
                    .defaultValue("1970-01-01T00:00:00Z")
                    .withDescription(
                            "Events dated before this instant (ISO-8601) are refused"
                                    + " (bad_timestamp).");

    public static final ConfigOption<String> INPUT_LATEST_EVENT_TIME =
            key("personalize.input.latest-event-time")
                    .stringType()
                    .defaultValue("2200-01-01T00:00:00Z")
                    .withDescription(
                            "Events dated at or after this instant (ISO-8601) are refused"
                                    + " (bad_timestamp), whatever the future skew allows.");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            key("personalize.validation.max-future-skew")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "Events dated further than this past the time they are read are"
                                    + " refused (bad_timestamp).");

    // ---- event time and de-duplication ------------------------------------------------------

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            key("personalize.watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("How late an event may arrive and still be in order.");

    public static final ConfigOption<Duration> IDLENESS =
            key("personalize.watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "A source split that sends nothing this long stops holding back"
                                    + " event time.");

    public static final ConfigOption<Duration> DEDUP_HORIZON =
            key("personalize.dedup.horizon")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "An event id seen again within this much event time is dropped as a"
                                    + " duplicate (and counted).");

    // ---- tables -----------------------------------------------------------------------------

    public static final ConfigOption<String> CATALOG_TYPE =
            key("personalize.catalog.type")
                    .stringType()
                    .defaultValue("jdbc")
                    .withDescription(
                            "Iceberg catalog: jdbc, rest, hadoop, glue, nessie or custom (the"
                                    + " class in personalize.catalog.properties.catalog-impl).");

    public static final ConfigOption<Map<String, String>> CATALOG_PROPERTIES =
            key("personalize.catalog.properties")
                    .mapType()
                    .defaultValue(Map.of())
                    .withDescription(
                            "Properties for the Iceberg catalog and its file IO, as Iceberg names"
                                    + " them: personalize.catalog.properties.s3.endpoint: ...,"
                                    + " io-impl, client.region, header.*, ... Secrets belong in"
                                    + " the environment variables, not here.");

    public static final ConfigOption<String> CATALOG_NAME =
            key("personalize.catalog.name")
                    .stringType()
                    .defaultValue("personalize")
                    .withDescription("Name of the catalog (as analysts' engines will call it).");

    public static final ConfigOption<String> CATALOG_URI =
            key("personalize.catalog.uri")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Catalog URI: jdbc:sqlite:/path/catalog.db, jdbc:postgresql://..., or"
                                    + " the REST endpoint. Credentials come from the environment.");

    public static final ConfigOption<String> CATALOG_WAREHOUSE =
            key("personalize.catalog.warehouse")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Warehouse location (file:/..., s3://...).");

    public static final ConfigOption<String> NAMESPACE =
            key("personalize.tables.namespace")
                    .stringType()
                    .defaultValue("personalize")
                    .withDescription("Namespace (database) of the tables.");

    // ---- table maintenance (tables maintain; the demo and replay after their run) -----------

    public static final ConfigOption<Duration> MAINTENANCE_SNAPSHOT_RETENTION =
            key("personalize.maintenance.snapshot-retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "Snapshots older than this expire at each maintenance run (time"
                                    + " travel reaches this far back); the files only they"
                                    + " referenced are deleted. The demo uses 0 unless set.");

    public static final ConfigOption<Integer> MAINTENANCE_MIN_SNAPSHOTS =
            key("personalize.maintenance.min-snapshots")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Snapshots kept per table whatever their age. While a job may write,"
                                    + " its newest commit (and everything after) is kept too: a"
                                    + " restore reads its last committed checkpoint there.");

    public static final ConfigOption<Duration> MAINTENANCE_ORPHAN_FILE_AGE =
            key("personalize.maintenance.orphan-file-age")
                    .durationType()
                    .defaultValue(Duration.ofDays(3))
                    .withDescription(
                            "Files under a table's location that no snapshot references are"
                                    + " deleted once this old (younger ones may belong to a"
                                    + " commit in flight). Iceberg's own default.");

    public static final ConfigOption<Integer> MAINTENANCE_MIN_INPUT_FILES =
            key("personalize.maintenance.min-input-files")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "A partition's small data files (under 75% of the table's"
                                    + " write.target-file-size-bytes) are compacted once there are"
                                    + " this many; a file with deletes is rewritten alone too.");

    public static final ConfigOption<Boolean> MAINTENANCE_AFTER_RUN =
            key("personalize.maintenance.after-run")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "The demo and replay maintain the tables once their run has"
                                    + " finished (as tables maintain does).");

    // ---- operations -------------------------------------------------------------------------

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            key("personalize.checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Checkpoint interval; Iceberg tables commit at each checkpoint, so"
                                    + " this is how fresh the tables are.");

    public static final ConfigOption<String> STATE_DIR =
            key("personalize.state.dir")
                    .stringType()
                    .defaultValue("personalize-state")
                    .withDescription(
                            "Folder (or URI) of the run's own state: `run` keeps its checkpoints"
                                    + " in <state.dir>/checkpoints unless"
                                    + " execution.checkpointing.dir is set, and resumes from the"
                                    + " newest one after a crash.");

    public static final ConfigOption<Integer> RESTART_ATTEMPTS =
            key("personalize.restart.attempts")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Restarts after a failure before the job fails (bounded: Flink's"
                                    + " default with checkpointing retries forever).");

    public static final ConfigOption<Duration> RESTART_DELAY =
            key("personalize.restart.delay")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("Pause before each restart.");

    // ---- features ---------------------------------------------------------------------------

    public static final ConfigOption<String> INPUT_GUEST_ROWS =
            key("personalize.input.guest-rows")
                    .stringType()
                    .defaultValue("skip")
                    .withDescription(
                            "Rows of a retail export without a customer id (guest rows, keyed"
                                    + " invoice:<N>): skip (written to the events table, but no"
                                    + " features, segments or decisions) or keep (each invoice is"
                                    + " a customer of its own).");

    public static final ConfigOption<String> INPUT_CONSENT_DEFAULT =
            key("personalize.input.consent-default")
                    .stringType()
                    .defaultValue("unknown")
                    .withDescription(
                            "email_consent of a customer whose events carry no consent"
                                    + " information (e.g. CSV imports): unknown (nothing is sent),"
                                    + " granted or denied. granted asserts a consent the input does"
                                    + " not carry: set it only when the consent is known"
                                    + " elsewhere.");

    public static final ConfigOption<List<String>> PRIVACY_HASHED_FIELDS =
            key("personalize.privacy.hashed-fields")
                    .stringType()
                    .asList()
                    .defaultValues(PersonalDataPolicy.DEFAULT_HASHED.toArray(String[]::new))
                    .withDescription(
                            "Field-name patterns (case and naming style ignored: emailAddress ="
                                    + " email_address, e_mail = email; * at the start or end;"
                                    + " parent.name for a name inside a parent) replaced at any"
                                    + " depth by <field>_hash, a keyed HMAC-SHA256.");

    public static final ConfigOption<List<String>> PRIVACY_DROPPED_FIELDS =
            key("personalize.privacy.dropped-fields")
                    .stringType()
                    .asList()
                    .defaultValues(PersonalDataPolicy.DEFAULT_DROPPED.toArray(String[]::new))
                    .withDescription(
                            "Field-name patterns (as hashed-fields) removed at any depth,"
                                    + " whatever their JSON type.");

    public static final ConfigOption<List<String>> PRIVACY_KEPT_FIELDS =
            key("personalize.privacy.kept-fields")
                    .stringType()
                    .asList()
                    .defaultValues(PersonalDataPolicy.DEFAULT_KEPT.toArray(String[]::new))
                    .withDescription(
                            "Exceptions to hashed-fields and dropped-fields (product names are"
                                    + " not personal).");

    public static final ConfigOption<String> PRIVACY_PERSONAL_IDS =
            key("personalize.privacy.personal-ids")
                    .stringType()
                    .defaultValue("refuse")
                    .withDescription(
                            "A customer_id or anonymous_id that looks like an e-mail address or a"
                                    + " phone number: refuse (dead letter personal_identifier) or"
                                    + " hash (the keyed hash of the address becomes the id, the"
                                    + " same as its email_hash).");

    public static final ConfigOption<Duration> EVENT_RETENTION =
            key("personalize.events.retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(90))
                    .withDescription(
                            "Events older than this behind the current event time (watermark)"
                                    + " go to dead letters as too_old.");

    public static final ConfigOption<Duration> NEW_CUSTOMER_WINDOW =
            key("personalize.features.new-customer-window")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription("lifecycle_stage is new this long after the first purchase.");

    public static final ConfigOption<Duration> AT_RISK_AFTER =
            key("personalize.features.at-risk-after")
                    .durationType()
                    .defaultValue(Duration.ofDays(60))
                    .withDescription(
                            "lifecycle_stage is at_risk after this long without a purchase.");

    public static final ConfigOption<Duration> LAPSED_AFTER =
            key("personalize.features.lapsed-after")
                    .durationType()
                    .defaultValue(Duration.ofDays(120))
                    .withDescription(
                            "lifecycle_stage is lapsed after this long without a purchase.");

    public static final ConfigOption<Duration> ENGAGEMENT_HALF_LIFE =
            key("personalize.features.engagement-half-life")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription("Half-life of opens and clicks in engagement_score.");

    public static final ConfigOption<Duration> AFFINITY_HALF_LIFE =
            key("personalize.features.affinity-half-life")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription(
                            "Half-life of views, carts and purchases in category_affinity.");

    public static final ConfigOption<Duration> SESSION_GAP =
            key("personalize.features.session-gap")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "Inactivity that starts a new session when events carry no session id.");

    public static final ConfigOption<Map<String, String>> ATTRIBUTE_WEIGHTS =
            key("personalize.features.attribute-score.weights")
                    .mapType()
                    .defaultValue(
                            Map.of(
                                    "orders_90d",
                                    "0.3",
                                    "revenue_90d",
                                    "0.4",
                                    "engagement_score",
                                    "0.3"))
                    .withDescription(
                            "Weight per numeric feature in attribute_score, e.g."
                                    + " orders_90d:0.3,revenue_90d:0.4,engagement_score:0.3.");

    public static final ConfigOption<Map<String, String>> ATTRIBUTE_CAPS =
            key("personalize.features.attribute-score.caps")
                    .mapType()
                    .defaultValue(
                            Map.of(
                                    "orders_90d",
                                    "10",
                                    "revenue_90d",
                                    "1000",
                                    "engagement_score",
                                    "1"))
                    .withDescription(
                            "Value at which each weighted feature counts fully (it is divided by"
                                    + " this and capped at 1).");

    public static final ConfigOption<String> FEATURES_DECLARED =
            key("personalize.features.declared")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Declared features file (YAML: profile attributes, windowed aggregates,"
                                    + " derived features; README, Customer features) that segments,"
                                    + " flows and the feature tables read besides the built-in"
                                    + " ones; none when unset. Read and checked at start-up: the"
                                    + " job does not start on an invalid file. With"
                                    + " personalize.features.declared-watch, also while it runs.");

    public static final ConfigOption<Boolean> FEATURES_DECLARED_WATCH =
            key("personalize.features.declared-watch")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Poll the declared-features file while the job runs and apply a"
                                    + " changed file with a higher version in every stage (a"
                                    + " windowed aggregate it adds starts from the change, without"
                                    + " backfill); a file that does not compile, keeps the version,"
                                    + " or removes or retypes a feature a serving segment, flow or"
                                    + " model card reads is refused and the serving features stay."
                                    + " Unbounded runs only.");

    public static final ConfigOption<Duration> FEATURES_DECLARED_POLL_INTERVAL =
            key("personalize.features.declared-poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("How often a watched declared-features file is read.");

    public static final ConfigOption<Duration> FEATURE_ORDER_HORIZON =
            key("personalize.features.order-horizon")
                    .durationType()
                    .defaultValue(FeatureConfig.DEFAULT_ORDER_HORIZON)
                    .withDescription(
                            "How long a customer remembers an order id after the order's latest"
                                    + " event (event time), so that a late line of a known order is"
                                    + " never counted as a new order; at least 90 d and at least"
                                    + " personalize.events.retention (the latest a line can"
                                    + " arrive). About 25 bytes of state per order.");

    public static final ConfigOption<Duration> FEATURE_STATE_TTL =
            key("personalize.features.state-ttl")
                    .durationType()
                    .defaultValue(Duration.ofDays(400))
                    .withDescription(
                            "A customer's feature state is dropped after this long (processing time)"
                                    + " without an event.");

    public static final ConfigOption<String> FEATURE_HISTORY =
            key("personalize.features.history")
                    .stringType()
                    .defaultValue("coalesced")
                    .withDescription(
                            "customer_features_history rows: coalesced (the last snapshot of"
                                    + " each customer per personalize.features.history-bucket of"
                                    + " event time) or every-change (a row for each instant a"
                                    + " customer's features changed at; exact, and costly).");

    public static final ConfigOption<Duration> FEATURE_HISTORY_BUCKET =
            key("personalize.features.history-bucket")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Event-time bucket of customer_features_history: per customer, the"
                                    + " last snapshot of each bucket, written when the bucket"
                                    + " closes (the watermark passes its end), so the rows depend"
                                    + " only on the input.");

    public static final ConfigOption<Duration> FEATURE_WRITE_INTERVAL =
            key("personalize.features.table-write-interval")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "At most one customer_features row per customer per this interval,"
                                    + " always the latest; 0 = once per checkpoint.");

    public static final ConfigOption<String> SEGMENTS_DEFINITIONS =
            key("personalize.segments.definitions")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Segment definitions file (YAML); the bundled defaults when unset."
                                    + " Checked at start-up: the job does not start on an invalid"
                                    + " file.");

    public static final ConfigOption<Boolean> SEGMENTS_WATCH =
            key("personalize.segments.watch")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Poll the definitions file while the job runs and apply a changed file"
                                    + " with a higher version to every customer; a file that"
                                    + " does not compile or keeps the version is refused and the"
                                    + " serving version stays. Unbounded runs only.");

    public static final ConfigOption<Duration> SEGMENTS_POLL_INTERVAL =
            key("personalize.segments.poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("How often a watched definitions file is read.");

    public static final ConfigOption<String> SUPPRESSION_LIST =
            key("personalize.suppression.list")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Suppression list file: one e-mail address (hashed on load, never kept"
                                    + " in clear) or its keyed hash a line; a listed address gets"
                                    + " no email from any flow. Checked at start-up: the job does"
                                    + " not start on an invalid file.");

    public static final ConfigOption<Boolean> SUPPRESSION_WATCH =
            key("personalize.suppression.watch")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Poll the suppression list while the job runs and apply a changed list"
                                    + " to every customer; an invalid file is refused and the"
                                    + " previous list keeps serving. Unbounded runs only.");

    public static final ConfigOption<Duration> SUPPRESSION_POLL_INTERVAL =
            key("personalize.suppression.poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("How often a watched suppression list is read.");

    public static final ConfigOption<Integer> SUPPRESSION_SOFT_BOUNCE_THRESHOLD =
            key("personalize.suppression.soft-bounce-threshold")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Soft bounces after the latest delivery that suppress the address for"
                                    + " every flow (at least 1).");

    public static final ConfigOption<Duration> CART_ABANDON_AFTER =
            key("personalize.carts.abandon-after")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "A non-empty cart is abandoned this long after its last add or removal"
                                    + " when nothing else was done to it (event time).");

    public static final ConfigOption<Duration> CART_REMIND_AFTER =
            key("personalize.carts.remind-after")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "The reminder is due this long after an abandonment, unless the cart"
                                    + " was bought (recovered), emptied or changed meanwhile.");

    public static final ConfigOption<Integer> BROWSE_MIN_VIEWS =
            key("personalize.carts.browse.min-views")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Views of one product that make a browse abandonment.");

    public static final ConfigOption<Duration> BROWSE_WINDOW =
            key("personalize.carts.browse.window")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription("The views count within this window up to the last view.");

    public static final ConfigOption<Duration> BROWSE_QUIET_PERIOD =
            key("personalize.carts.browse.quiet-period")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "Browse abandonment is reported this long after the last view when the"
                                    + " product was not added to the cart or bought.");

    public static final ConfigOption<String> CATALOG_PATH =
            key("personalize.catalog.path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Product catalog (CSV: product_id, name, category, price, image_url,"
                                    + " in_stock). Re-read when it changes; a bad file is refused"
                                    + " and the previous catalog kept. Unset: recommendations"
                                    + " carry only what the events tell.");

    public static final ConfigOption<Duration> CATALOG_POLL_INTERVAL =
            key("personalize.catalog.poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("How often the catalog file is checked for changes.");

    public static final ConfigOption<Integer> RECOMMENDATIONS_COUNT =
            key("personalize.recommendations.count")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Products recommended per abandoned cart.");

    public static final ConfigOption<Duration> RECOMMENDATIONS_HALF_LIFE =
            key("personalize.recommendations.half-life")
                    .durationType()
                    .defaultValue(Duration.ofDays(14))
                    .withDescription(
                            "Co-occurrence and popularity lose half their weight in this much"
                                    + " event time.");

    public static final ConfigOption<Integer> RECOMMENDATIONS_MAX_NEIGHBOURS =
            key("personalize.recommendations.max-neighbours")
                    .intType()
                    .defaultValue(50)
                    .withDescription("Co-occurring products kept per product (the strongest).");

    public static final ConfigOption<String> MODELS_REGISTRY =
            key("personalize.models.registry")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Model registry file (YAML: per model a champion, an optional"
                                    + " challenger scored in the shadow, a fallback rule; paths"
                                    + " relative to the file, each model's card next to it)."
                                    + " Unset: the shipped models; none: no scoring.");

    public static final ConfigOption<Boolean> MODELS_WATCH =
            key("personalize.models.watch")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Poll the registry and the files it names while the job runs; a"
                                    + " changed release is validated (card, golden examples)"
                                    + " before it serves, a failing one is refused and the"
                                    + " previous one keeps serving.");

    public static final ConfigOption<Duration> MODELS_POLL_INTERVAL =
            key("personalize.models.poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("How often the watched registry is read.");

    public static final ConfigOption<Integer> SCORING_BATCH_SIZE =
            key("personalize.scoring.batch-size")
                    .intType()
                    .defaultValue(256)
                    .withDescription(
                            "Customers scored per ONNX Runtime call (the latest features per"
                                    + " customer); a batch is also scored when its timeout"
                                    + " passes, at each watermark, checkpoint and the end of"
                                    + " input.");

    public static final ConfigOption<Duration> SCORING_BATCH_TIMEOUT =
            key("personalize.scoring.batch-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(50))
                    .withDescription(
                            "Longest a customer waits in a batch (processing time) before"
                                    + " scoring.");

    public static final ConfigOption<Double> SCORING_SHADOW_FRACTION =
            key("personalize.scoring.shadow-fraction")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription(
                            "Share of customers that challengers (shadow models) score too,"
                                    + " whenever their champions score them; chosen by a hash of"
                                    + " the customer key, so the same customers in every run. 1"
                                    + " scores every customer, 0 none.");

    public static final ConfigOption<Duration> SCORING_MIN_INTERVAL =
            key("personalize.scoring.min-interval")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "A customer is scored again only when a champion's input moved and"
                                    + " at least this much event time passed since the last"
                                    + " scoring; until then the last scores stand. 0: on every"
                                    + " change of an input.");

    public static final ConfigOption<Integer> SCORING_INTRA_OP_THREADS =
            key("personalize.scoring.intra-op-threads")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "ONNX Runtime threads per model session; 1 inside Flink, where"
                                    + " parallelism comes from subtasks.");

    public static final ConfigOption<Duration> SCORES_BUCKET =
            key("personalize.scores.bucket")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "Event-time bucket of the scores table: per customer, model and role,"
                                    + " the last score of each bucket, written when the bucket"
                                    + " closes, so the rows depend only on the input.");

    public static final ConfigOption<String> FLOWS_DEFINITIONS =
            key("personalize.flows.definitions")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Flow definitions file (YAML); unset: the bundled defaults. An invalid"
                                    + " file stops the start.");

    public static final ConfigOption<Boolean> FLOWS_WATCH =
            key("personalize.flows.watch")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Poll the flow definitions file while the job runs and apply a changed"
                                    + " file with a higher version; a file that does not compile or"
                                    + " keeps the version is refused and the serving flows stay.");

    public static final ConfigOption<Duration> FLOWS_POLL_INTERVAL =
            key("personalize.flows.poll-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("How often a watched flow definitions file is read.");

    public static final ConfigOption<Duration> DECISIONS_TRIGGER_WAIT =
            key("personalize.decisions.trigger-wait")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "How long a pattern trigger (cart or browse abandonment) waits, in"
                                    + " event time past its own time, before it is decided; a"
                                    + " customer's features are decided as soon as the watermark"
                                    + " is within this of them, so the longer the wait the"
                                    + " sooner features are decided. Unset: the watermark's"
                                    + " out-of-orderness plus 1 s, which decides features on"
                                    + " arrival in a live stream.");

    public static final ConfigOption<String> DECISIONS_FREQUENCY_CAPS =
            key("personalize.decisions.frequency-caps")
                    .stringType()
                    .defaultValue("1/16h,3/7d")
                    .withDescription(
                            "At most N emails per rolling window, per customer, as N/window"
                                    + " (comma-separated, all apply); a capped decision is deferred"
                                    + " to the first allowed moment. none: no caps.");

    public static final ConfigOption<String> DECISIONS_QUIET_HOURS =
            key("personalize.decisions.quiet-hours")
                    .stringType()
                    .defaultValue("21:00-08:00")
                    .withDescription(
                            "No email in this period of the customer's local time (HH:mm-HH:mm,"
                                    + " may wrap midnight); deferred to its end. none: no quiet"
                                    + " hours.");

    public static final ConfigOption<String> DECISIONS_DEFAULT_ZONE =
            key("personalize.decisions.default-zone")
                    .stringType()
                    .defaultValue("UTC")
                    .withDescription("Time zone of customers whose timezone feature is unknown.");

    public static final ConfigOption<Duration> DECISIONS_MAX_DELAY =
            key("personalize.decisions.max-delay")
                    .durationType()
                    .defaultValue(Duration.ofHours(48))
                    .withDescription(
                            "A decision deferred beyond this after its trigger expires (outcome"
                                    + " expired).");

    public static final ConfigOption<Duration> DECISIONS_LIVE_HORIZON =
            key("personalize.decisions.live-horizon")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "A trigger whose event time is older than this before the wall clock"
                                    + " is history (e.g. a new deployment reading its past): its"
                                    + " decision is recorded as replayed and nothing is sent."
                                    + " Unset: every trigger is live (the demo replays generated"
                                    + " history and sends).");

    public static final ConfigOption<Duration> DECISIONS_IDEMPOTENCY_HORIZON =
            key("personalize.decisions.idempotency-horizon")
                    .durationType()
                    .defaultValue(Duration.ofDays(30))
                    .withDescription(
                            "How long a decided trigger is remembered per customer; older"
                                    + " triggers are ignored, so none is decided twice.");

    public static final ConfigOption<String> DELIVERY_ENDPOINTS =
            key("personalize.delivery.endpoints")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "YAML file of the trigger endpoints by id (url, secret-env or"
                                    + " secret-file, timeout, rate-limit). Unset: to_send decisions"
                                    + " are recorded, not delivered.");

    public static final ConfigOption<Integer> DELIVERY_MAX_ATTEMPTS =
            key("personalize.delivery.max-attempts")
                    .intType()
                    .defaultValue(8)
                    .withDescription(
                            "Attempts per trigger (on 408, 429, 5xx, timeouts and connection"
                                    + " errors) before it fails to dead letters.");

    public static final ConfigOption<Duration> DELIVERY_INITIAL_BACKOFF =
            key("personalize.delivery.initial-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Wait before the second attempt; doubles with each attempt, with"
                                    + " jitter; a longer Retry-After wins.");

    public static final ConfigOption<Duration> DELIVERY_MAX_BACKOFF =
            key("personalize.delivery.max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("The longest wait between two attempts.");

    public static final ConfigOption<Duration> DELIVERY_MAX_AGE =
            key("personalize.delivery.max-age")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "A trigger not delivered this long after its decision fails to dead"
                                    + " letters (an email that late is no longer wanted).");

    public static final ConfigOption<Integer> DELIVERY_CAPACITY =
            key("personalize.delivery.capacity")
                    .intType()
                    .defaultValue(100)
                    .withDescription(
                            "Triggers in flight (or waiting to be retried) per parallel"
                                    + " subtask; kept in checkpoints and sent again after a"
                                    + " restore.");

    public static final ConfigOption<Duration> CONVERSIONS_WINDOW =
            key("personalize.conversions.attribution-window")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "A purchase this long after a decision (sent or held out) is"
                                    + " attributed to it.");

    public static final ConfigOption<String> CONVERSIONS_ATTRIBUTION =
            key("personalize.conversions.attribution")
                    .stringType()
                    .defaultValue("last")
                    .withDescription(
                            "Which decision a purchase goes to when several qualify: last or"
                                    + " first.");
}
