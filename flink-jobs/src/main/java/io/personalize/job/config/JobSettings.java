package io.personalize.job.config;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.EventLimits;
import io.personalize.core.events.RecordIntake;
import io.personalize.core.events.RecordParser;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.FeatureType;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.features.declared.FeatureValidationException;
import io.personalize.core.privacy.FieldPatterns;
import io.personalize.core.privacy.PersonalDataPolicy;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.core.privacy.SuppressionList;
import io.personalize.core.segments.SegmentCompiler;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.segments.SegmentValidationException;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.CatalogType;
import io.personalize.tables.MaintenanceSettings;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.CatalogProperties;

/**
 * The typed view of the configuration that the pipeline builder needs; serializable so functions
 * can carry the parts they use.
 */
public record JobSettings(
        Duration outOfOrderness,
        Duration idleness,
        Duration dedupHorizon,
        int maxEventBytes,
        Duration maxFutureSkew,
        EventLimits eventLimits,
        ZoneId csvZone,
        String hashSecret,
        Duration eventRetention,
        FeatureConfig features,
        Duration featureStateTtl,
        Duration historyBucket,
        Duration featureWriteInterval,
        SegmentDefinitions segments,
        String segmentsPath,
        boolean watchSegments,
        Duration segmentsPollInterval,
        SuppressionList suppressionList,
        String suppressionPath,
        boolean watchSuppression,
        Duration suppressionPollInterval,
        CartSettings carts,
        ModelSettings models,
        DecisionSettings decisions,
        DeliverySettings delivery,
        boolean skipGuestRows,
        PersonalDataPolicy privacy,
        int identityBufferEvents,
        DeclaredFeatures declared,
        DeclaredWatch declaredWatch)
        implements Serializable {

    /**
     * The declared-features file watched while the job runs (personalize.features.declared-watch).
     */
    public record DeclaredWatch(String path, Duration pollInterval) implements Serializable {}

    public static JobSettings from(Configuration conf, String hashSecret) {
        if (hashSecret == null || hashSecret.length() < 16) {
            throw new ConfigException(
                    "set "
                            + PersonalDataScrubber.SECRET_ENV
                            + " to a secret of at least 16 characters: it keys the hash that"
                            + " replaces e-mail addresses and phone numbers");
        }
        ordersBoundedInput(conf); // a misspelt value is refused before anything runs
        ZoneId zone;
        try {
            zone = ZoneId.of(conf.get(PersonalizeOptions.INPUT_CSV_ZONE));
        } catch (RuntimeException e) {
            throw new ConfigException(
                    "personalize.input.csv-zone: unknown time zone "
                            + conf.get(PersonalizeOptions.INPUT_CSV_ZONE));
        }
        String history = conf.get(PersonalizeOptions.FEATURE_HISTORY);
        if (!history.equals("every-change") && !history.equals("coalesced")) {
            throw new ConfigException(
                    "personalize.features.history must be every-change or coalesced, was "
                            + history);
        }
        DeclaredFeatures declared = declared(conf);
        SegmentDefinitions segments = segments(conf, declared);
        ModelSettings models = ModelSettings.from(conf, declared);
        return new JobSettings(
                conf.get(PersonalizeOptions.OUT_OF_ORDERNESS),
                conf.get(PersonalizeOptions.IDLENESS),
                conf.get(PersonalizeOptions.DEDUP_HORIZON),
                conf.get(PersonalizeOptions.MAX_EVENT_BYTES),
                conf.get(PersonalizeOptions.MAX_FUTURE_SKEW),
                eventLimits(conf),
                zone,
                hashSecret,
                conf.get(PersonalizeOptions.EVENT_RETENTION),
                featureConfig(conf),
                conf.get(PersonalizeOptions.FEATURE_STATE_TTL),
                history.equals("every-change")
                        ? Duration.ofMillis(1)
                        : positive(conf, PersonalizeOptions.FEATURE_HISTORY_BUCKET),
                conf.get(PersonalizeOptions.FEATURE_WRITE_INTERVAL),
                segments,
                conf.get(PersonalizeOptions.SEGMENTS_DEFINITIONS),
                conf.get(PersonalizeOptions.SEGMENTS_WATCH),
                conf.get(PersonalizeOptions.SEGMENTS_POLL_INTERVAL),
                suppressionList(conf, hashSecret),
                conf.get(PersonalizeOptions.SUPPRESSION_LIST),
                conf.get(PersonalizeOptions.SUPPRESSION_WATCH),
                positive(conf, PersonalizeOptions.SUPPRESSION_POLL_INTERVAL),
                CartSettings.from(conf),
                models,
                DecisionSettings.from(conf, segments, declared, models.ruleModelNames()),
                DeliverySettings.from(conf, System.getenv()),
                skipGuestRows(conf),
                privacy(conf),
                identityBufferEvents(conf),
                declared,
                declaredWatch(conf));
    }

    /** The watched declared-features file; null when it is not watched. */
    static DeclaredWatch declaredWatch(Configuration conf) {
        if (!conf.get(PersonalizeOptions.FEATURES_DECLARED_WATCH)) {
            return null;
        }
        String path = conf.get(PersonalizeOptions.FEATURES_DECLARED);
        if (path == null) {
            throw new ConfigException(
                    "personalize.features.declared-watch needs personalize.features.declared (a"
                            + " file)");
        }
        return new DeclaredWatch(
                path, positive(conf, PersonalizeOptions.FEATURES_DECLARED_POLL_INTERVAL));
    }

    /** Whether the stages read declared-features updates while running. */
    public boolean watchesDeclared() {
        return declaredWatch != null;
    }

    /** The declared features the job computes, checked: an invalid file stops the start. */
    public static DeclaredFeatures declared(Configuration conf) {
        String path = conf.get(PersonalizeOptions.FEATURES_DECLARED);
        if (path == null) {
            return DeclaredFeatures.none();
        }
        try {
            return DeclaredFeatures.load(Path.of(path));
        } catch (IOException e) {
            throw new ConfigException("personalize.features.declared: cannot read " + path);
        } catch (FeatureValidationException e) {
            throw new ConfigException(path + " refused:\n" + e.getMessage());
        }
    }

    /** The standard feature registry with the declared features. */
    public FeatureRegistry registry() {
        return declared.registry();
    }

    /** The bounds on amounts and event times of valid events. */
    static EventLimits eventLimits(Configuration conf) {
        long earliest = instant(conf, PersonalizeOptions.INPUT_EARLIEST_EVENT_TIME);
        long latest = instant(conf, PersonalizeOptions.INPUT_LATEST_EVENT_TIME);
        try {
            return new EventLimits(conf.get(PersonalizeOptions.INPUT_MAX_AMOUNT), earliest, latest);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("personalize.input: " + e.getMessage());
        }
    }

    private static long instant(Configuration conf, ConfigOption<String> option) {
        String value = conf.get(option);
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeException e) {
            throw new ConfigException(
                    option.key()
                            + ": '"
                            + value
                            + "' is not an ISO-8601 instant (e.g. 2200-01-01T00:00:00Z)");
        }
    }

    /** The definitions the job starts with, checked: an invalid file stops the start. */
    static SegmentDefinitions segments(Configuration conf, DeclaredFeatures declared) {
        String path = conf.get(PersonalizeOptions.SEGMENTS_DEFINITIONS);
        if (path == null && conf.get(PersonalizeOptions.SEGMENTS_WATCH)) {
            throw new ConfigException(
                    "personalize.segments.watch needs personalize.segments.definitions (a file)");
        }
        String source = path == null ? "the bundled segment definitions" : path;
        try {
            SegmentDefinitions definitions =
                    path == null
                            ? SegmentDefinitions.defaults()
                            : SegmentDefinitions.load(Path.of(path));
            new SegmentCompiler(declared.registry()).compile(definitions);
            return definitions;
        } catch (IOException e) {
            throw new ConfigException("personalize.segments.definitions: cannot read " + path);
        } catch (IllegalArgumentException | SegmentValidationException e) {
            throw new ConfigException(source + " refused:\n" + e.getMessage());
        }
    }

    /**
     * The suppression list the job starts with, its addresses hashed: an invalid file stops the
     * start; none configured, an empty list.
     */
    static SuppressionList suppressionList(Configuration conf, String hashSecret) {
        String path = conf.get(PersonalizeOptions.SUPPRESSION_LIST);
        if (path == null) {
            if (conf.get(PersonalizeOptions.SUPPRESSION_WATCH)) {
                throw new ConfigException(
                        "personalize.suppression.watch needs personalize.suppression.list (a"
                                + " file)");
            }
            return SuppressionList.empty();
        }
        try {
            return SuppressionList.parse(
                    Files.readString(Path.of(path), StandardCharsets.UTF_8),
                    new PersonalDataScrubber(hashSecret));
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException("personalize.suppression.list: cannot read " + path);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "personalize.suppression.list: " + path + " refused: " + e.getMessage());
        }
    }

    /** personalize.suppression.soft-bounce-threshold, at least 1. */
    private static int softBounceThreshold(Configuration conf) {
        int threshold = conf.get(PersonalizeOptions.SUPPRESSION_SOFT_BOUNCE_THRESHOLD);
        if (threshold < 1) {
            throw new ConfigException(
                    "personalize.suppression.soft-bounce-threshold must be at least 1, was "
                            + threshold);
        }
        return threshold;
    }

    /** Whether the customer stage reads suppression list updates while running. */
    public boolean watchesSuppression() {
        return watchSuppression && suppressionPath != null;
    }

    private static Duration positive(Configuration conf, ConfigOption<Duration> option) {
        Duration value = conf.get(option);
        if (value.toMillis() < 1) {
            throw new ConfigException(option.key() + " must be at least 1 ms");
        }
        return value;
    }

    /** Whether the segment stage reads definition updates while running. */
    public boolean watchesSegments() {
        return watchSegments && segmentsPath != null;
    }

    /** The feature definitions' tunables, checked against the registry. */
    public static FeatureConfig featureConfig(Configuration conf) {
        Map<String, Double> weights =
                numbers(conf.get(PersonalizeOptions.ATTRIBUTE_WEIGHTS), "weights");
        Map<String, Double> caps = numbers(conf.get(PersonalizeOptions.ATTRIBUTE_CAPS), "caps");
        for (String feature : weights.keySet()) {
            FeatureType type =
                    FeatureRegistry.standard()
                            .get(feature)
                            .orElseThrow(
                                    () ->
                                            new ConfigException(
                                                    "personalize.features.attribute-score.weights:"
                                                            + " unknown feature '"
                                                            + feature
                                                            + "'"))
                            .type();
            if (type != FeatureType.LONG && type != FeatureType.DOUBLE) {
                throw new ConfigException(
                        "personalize.features.attribute-score.weights: feature '"
                                + feature
                                + "' is "
                                + type
                                + ", not a number");
            }
        }
        try {
            return new FeatureConfig(
                    conf.get(PersonalizeOptions.NEW_CUSTOMER_WINDOW),
                    conf.get(PersonalizeOptions.AT_RISK_AFTER),
                    conf.get(PersonalizeOptions.LAPSED_AFTER),
                    conf.get(PersonalizeOptions.ENGAGEMENT_HALF_LIFE),
                    conf.get(PersonalizeOptions.AFFINITY_HALF_LIFE),
                    conf.get(PersonalizeOptions.SESSION_GAP),
                    weights,
                    caps,
                    orderHorizon(conf),
                    consentDefault(conf),
                    softBounceThreshold(conf));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("personalize.features: " + e.getMessage());
        }
    }

    /**
     * personalize.input.order: event-time (true: bounded file input is streamed from a copy sorted
     * by event time) or as-read.
     */
    public static boolean ordersBoundedInput(Configuration conf) {
        String value = conf.get(PersonalizeOptions.INPUT_ORDER);
        return switch (value) {
            case "event-time" -> true;
            case "as-read" -> false;
            default ->
                    throw new ConfigException(
                            "personalize.input.order must be event-time or as-read, was " + value);
        };
    }

    /** The personal-data policy: personalize.privacy.*, each pattern checked. */
    static PersonalDataPolicy privacy(Configuration conf) {
        String ids = conf.get(PersonalizeOptions.PRIVACY_PERSONAL_IDS);
        if (!ids.equals("refuse") && !ids.equals("hash")) {
            throw new ConfigException(
                    PersonalizeOptions.PRIVACY_PERSONAL_IDS.key()
                            + " must be refuse or hash, was "
                            + ids);
        }
        return PersonalDataPolicy.of(
                patterns(conf, PersonalizeOptions.PRIVACY_HASHED_FIELDS),
                patterns(conf, PersonalizeOptions.PRIVACY_DROPPED_FIELDS),
                patterns(conf, PersonalizeOptions.PRIVACY_KEPT_FIELDS),
                ids.equals("hash"));
    }

    private static List<String> patterns(Configuration conf, ConfigOption<List<String>> option) {
        List<String> patterns = conf.get(option);
        try {
            FieldPatterns.parse(patterns);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option.key() + ": " + e.getMessage());
        }
        return patterns;
    }

    /**
     * personalize.identity.buffer-events when personalize.identity.stitching is on, else 0 (no
     * stitching).
     */
    private static int identityBufferEvents(Configuration conf) {
        int value = conf.get(PersonalizeOptions.IDENTITY_BUFFER_EVENTS);
        if (value < 0) {
            throw new ConfigException(
                    "personalize.identity.buffer-events must be 0 or more, was " + value);
        }
        return conf.get(PersonalizeOptions.IDENTITY_STITCHING) ? value : 0;
    }

    /** Whether anonymous ids are linked to the customers who identify (identity stitching). */
    public boolean stitchesIdentities() {
        return identityBufferEvents > 0;
    }

    /** personalize.input.guest-rows: skip (true) or keep. */
    private static boolean skipGuestRows(Configuration conf) {
        String value = conf.get(PersonalizeOptions.INPUT_GUEST_ROWS);
        return switch (value) {
            case "skip" -> true;
            case "keep" -> false;
            default ->
                    throw new ConfigException(
                            "personalize.input.guest-rows must be skip or keep, was " + value);
        };
    }

    /** personalize.input.consent-default: null (unknown), true (granted) or false (denied). */
    private static Boolean consentDefault(Configuration conf) {
        String value = conf.get(PersonalizeOptions.INPUT_CONSENT_DEFAULT);
        return switch (value) {
            case "unknown" -> null;
            case "granted" -> Boolean.TRUE;
            case "denied" -> Boolean.FALSE;
            default ->
                    throw new ConfigException(
                            "personalize.input.consent-default must be unknown, granted or"
                                    + " denied, was "
                                    + value);
        };
    }

    /** The order horizon, refused when a line of a forgotten order could still arrive. */
    private static Duration orderHorizon(Configuration conf) {
        Duration horizon = conf.get(PersonalizeOptions.FEATURE_ORDER_HORIZON);
        Duration retention = conf.get(PersonalizeOptions.EVENT_RETENTION);
        if (horizon.compareTo(retention) < 0) {
            throw new ConfigException(
                    "personalize.features.order-horizon ("
                            + horizon.toDays()
                            + " d) must be at least personalize.events.retention ("
                            + retention.toDays()
                            + " d): a late line of an order forgotten before could still arrive"
                            + " and be counted as another order");
        }
        return horizon;
    }

    private static Map<String, Double> numbers(Map<String, String> values, String what) {
        Map<String, Double> numbers = new HashMap<>();
        values.forEach(
                (key, value) -> {
                    try {
                        numbers.put(key, Double.parseDouble(value));
                    } catch (NumberFormatException e) {
                        throw new ConfigException(
                                "personalize.features.attribute-score."
                                        + what
                                        + ": '"
                                        + value
                                        + "' for "
                                        + key
                                        + " is not a number");
                    }
                });
        return numbers;
    }

    /** The parser for a record format, with this deployment's limits and hashing secret. */
    public RecordParser parser(InputFormat format) {
        EnvelopeParser envelope =
                new EnvelopeParser(
                        new PersonalDataScrubber(hashSecret, privacy),
                        maxEventBytes,
                        maxFutureSkew,
                        eventLimits);
        return format.parser(envelope, csvZone);
    }

    /** The intake for raw records of a format: their size and encoding first, then the parser. */
    public RecordIntake intake(InputFormat format) {
        return new RecordIntake(parser(format), maxEventBytes);
    }

    /** The catalog from the configuration; {@code defaultWarehouse} when none is configured. */
    /** How {@code tables maintain} (and the demo and replay after their run) keep the tables. */
    public static MaintenanceSettings maintenance(Configuration conf) {
        try {
            return new MaintenanceSettings(
                    conf.get(PersonalizeOptions.MAINTENANCE_SNAPSHOT_RETENTION),
                    conf.get(PersonalizeOptions.MAINTENANCE_MIN_SNAPSHOTS),
                    conf.get(PersonalizeOptions.MAINTENANCE_ORPHAN_FILE_AGE),
                    conf.get(PersonalizeOptions.MAINTENANCE_MIN_INPUT_FILES),
                    false);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("personalize.maintenance.*: " + e.getMessage());
        }
    }

    public static CatalogSettings catalog(Configuration conf, Path defaultWarehouse) {
        String namespace = conf.get(PersonalizeOptions.NAMESPACE);
        String uri = conf.get(PersonalizeOptions.CATALOG_URI);
        String warehouse = conf.get(PersonalizeOptions.CATALOG_WAREHOUSE);
        Map<String, String> properties = catalogProperties(conf);
        CatalogType type;
        try {
            type = CatalogType.parse(conf.get(PersonalizeOptions.CATALOG_TYPE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "personalize.catalog.type must be jdbc, rest, hadoop, glue, nessie or custom,"
                            + " was "
                            + conf.get(PersonalizeOptions.CATALOG_TYPE));
        }
        if (type == CatalogType.JDBC && uri == null && warehouse == null) {
            if (defaultWarehouse == null) {
                throw new ConfigException(
                        "set personalize.catalog.uri and personalize.catalog.warehouse");
            }
            return CatalogSettings.localSqlite(defaultWarehouse, namespace, properties);
        }
        boolean needsUri =
                type == CatalogType.JDBC || type == CatalogType.REST || type == CatalogType.NESSIE;
        if (needsUri && uri == null) {
            throw new ConfigException(
                    "personalize.catalog.uri is required for a " + type + " catalog");
        }
        boolean needsWarehouse = type != CatalogType.REST && type != CatalogType.CUSTOM;
        if (needsWarehouse && warehouse == null) {
            throw new ConfigException("personalize.catalog.warehouse is required for " + type);
        }
        String implementation =
                type == CatalogType.CUSTOM
                        ? properties.get(CatalogProperties.CATALOG_IMPL)
                        : type.implementation();
        if (type == CatalogType.CUSTOM && implementation == null) {
            throw new ConfigException(
                    "a custom catalog needs its class: personalize.catalog.properties."
                            + CatalogProperties.CATALOG_IMPL);
        }
        if (implementation != null) {
            loadable(implementation, type);
        }
        if (type == CatalogType.GLUE) {
            loadable("software.amazon.awssdk.services.glue.GlueClient", type);
        }
        return new CatalogSettings(
                type,
                conf.get(PersonalizeOptions.CATALOG_NAME),
                uri,
                warehouse,
                namespace,
                properties);
    }

    /** The {@code personalize.catalog.properties.*} keys, without the prefix. */
    static Map<String, String> catalogProperties(Configuration conf) {
        return new java.util.TreeMap<>(conf.get(PersonalizeOptions.CATALOG_PROPERTIES));
    }

    /** A start refused before any table is touched when the catalog's classes are missing. */
    private static void loadable(String className, CatalogType type) {
        try {
            Class.forName(className, false, JobSettings.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException(
                    "a "
                            + type.name().toLowerCase(java.util.Locale.ROOT)
                            + " catalog needs "
                            + className
                            + " on the classpath"
                            + (type == CatalogType.GLUE
                                    ? ": put Iceberg's AWS bundle (iceberg-aws-bundle) next to the"
                                            + " job jar (the image has it in usrlib/)"
                                    : ""));
        }
    }
}
