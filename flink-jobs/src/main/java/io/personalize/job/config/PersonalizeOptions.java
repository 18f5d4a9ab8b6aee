package io.personalize.job.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
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

    // ---- validation -------------------------------------------------------------------------

    public static final ConfigOption<Integer> MAX_EVENT_BYTES =
            key("personalize.validation.max-event-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription("Records larger than this go to dead letters (too_large).");

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
                    .withDescription("Iceberg catalog: jdbc, rest or hadoop.");

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

    // ---- operations -------------------------------------------------------------------------

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            key("personalize.checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Checkpoint interval; Iceberg tables commit at each checkpoint, so"
                                    + " this is how fresh the tables are.");

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
}
