package io.personalize.job.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * Builds the job's configuration from, in increasing precedence: the defaults of {@link
 * PersonalizeOptions}, a YAML file (nested or dotted keys), the environment variable {@code
 * PERSONALIZE_PROPERTIES} (one {@code key: value} or {@code key=value} per line, as Flink's images
 * read {@code FLINK_PROPERTIES}), and {@code --set key=value} on the command line.
 *
 * <pre>{@code
 * Configuration conf = ConfigLoader.load(Path.of("job.yaml"), System.getenv(), List.of("personalize.dedup.horizon=2 h"));
 * }</pre>
 */
public final class ConfigLoader {
    public static final String PROPERTIES_ENV = "PERSONALIZE_PROPERTIES";
    public static final String CHECKPOINT_STORAGE = "execution.checkpointing.storage";
    public static final String CHECKPOINT_DIR = "execution.checkpointing.dir";
    public static final String UNALIGNED_CHECKPOINTS = "execution.checkpointing.unaligned.enabled";
    public static final String CHECKPOINT_RETENTION =
            "execution.checkpointing.externalized-checkpoint-retention";
    public static final String RECOVERY_PATH = "execution.state-recovery.path";
    public static final String LOOPBACK = "127.0.0.1";
    private static final String OWN_PREFIX = "personalize.";

    private ConfigLoader() {}

    public static Configuration load(
            Path file, Map<String, String> environment, List<String> sets) {
        Map<String, String> values = new LinkedHashMap<>();
        if (file != null) {
            values.putAll(readYaml(file));
        }
        String fromEnvironment = environment.get(PROPERTIES_ENV);
        if (fromEnvironment != null) {
            values.putAll(parseLines(fromEnvironment, PROPERTIES_ENV));
        }
        for (String set : sets) {
            values.putAll(parseLines(set, "--set"));
        }
        rejectUnknownOwnKeys(values.keySet());
        Configuration conf = Configuration.fromMap(values);
        validateTypes(conf);
        return conf;
    }

    /**
     * What Flink needs beyond the user's keys: checkpoints (the Iceberg commit interval), a bounded
     * restart strategy, no Kryo fallback and object reuse between chained operators. Keys the user
     * set win.
     */
    public static Configuration withJobDefaults(Configuration conf) {
        Configuration result = new Configuration();
        result.set(PipelineOptions.GENERIC_TYPES, false);
        // Chained operators hand records on without a deep copy: no operator changes a record it
        // received or keeps one an upstream operator reuses.
        result.set(PipelineOptions.OBJECT_REUSE, true);
        result.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        result.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                conf.get(PersonalizeOptions.RESTART_ATTEMPTS));
        result.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                conf.get(PersonalizeOptions.RESTART_DELAY));
        result.setString(
                "execution.checkpointing.interval",
                conf.get(PersonalizeOptions.CHECKPOINT_INTERVAL).toMillis() + " ms");
        // Keyed state outgrows the job manager's 5 MB limit quickly: checkpoint to files. The
        // temporary folder is a local default only; production sets object storage.
        result.setString(CHECKPOINT_STORAGE, "filesystem");
        // Unaligned checkpoints: barriers overtake the records queued before a slow stage (a slow
        // trigger endpoint backs the delivery stage up), so a checkpoint takes seconds, not as
        // long as the backlog does; the queued records go into the checkpoint instead.
        result.setString(UNALIGNED_CHECKPOINTS, "true");
        result.setString(
                CHECKPOINT_DIR,
                Path.of(System.getProperty("java.io.tmpdir"), "personalize-checkpoints")
                        .toUri()
                        .toString());
        // A crashed or cancelled run leaves its checkpoints behind, so the next start resumes.
        result.setString(CHECKPOINT_RETENTION, "RETAIN_ON_CANCELLATION");
        result.addAll(conf);
        return result;
    }

    /**
     * {@link #withJobDefaults} for a job that runs in a local MiniCluster in this JVM (the demo,
     * {@code run} outside a cluster, the bench, replay): it listens on 127.0.0.1 only and takes no
     * job submissions or cancellations over REST, so whoever reaches the host cannot run a jar in
     * it. Keys the user set win. On a cluster the Helm chart sets what the cluster needs instead.
     */
    public static Configuration withLocalDefaults(Configuration conf) {
        Configuration result = new Configuration();
        listenOnLoopbackOnly(result);
        result.addAll(withJobDefaults(conf));
        return result;
    }

    private static void listenOnLoopbackOnly(Configuration result) {
        result.setString("rest.address", LOOPBACK);
        result.setString("rest.bind-address", LOOPBACK);
        result.setString("jobmanager.bind-host", LOOPBACK);
        result.setString("jobmanager.rpc.address", LOOPBACK);
        result.setString("taskmanager.bind-host", LOOPBACK);
        result.setString("taskmanager.host", LOOPBACK);
        result.setString("web.submit.enable", "false");
        result.setString("web.cancel.enable", "false");
    }

    static Map<String, String> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file + " does not exist");
        }
        try {
            Object tree =
                    new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
            Map<String, String> flat = new LinkedHashMap<>();
            if (tree instanceof Map<?, ?> map) {
                flatten("", map, flat);
            } else if (tree != null) {
                throw new ConfigException("configuration file " + file + " must hold a mapping");
            }
            return flat;
        } catch (IOException e) {
            throw new ConfigException(
                    "configuration file " + file + " is not valid YAML: " + e.getMessage());
        }
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> flat) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, flat);
            } else if (value instanceof List<?> list) {
                flat.put(key, list.stream().map(String::valueOf).collect(Collectors.joining(";")));
            } else if (value != null) {
                flat.put(key, String.valueOf(value));
            }
        }
    }

    static Map<String, String> parseLines(String text, String origin) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            int colon = trimmed.indexOf(": ");
            int split = equals < 0 ? colon : (colon < 0 ? equals : Math.min(equals, colon));
            if (split <= 0) {
                throw new ConfigException(
                        origin + ": '" + trimmed + "' is not key=value or key: value");
            }
            int valueStart = split == colon ? split + 2 : split + 1;
            values.put(trimmed.substring(0, split).trim(), trimmed.substring(valueStart).trim());
        }
        return values;
    }

    private static void rejectUnknownOwnKeys(Set<String> keys) {
        Set<String> known = knownKeys();
        List<String> mapPrefixes = mapKeyPrefixes();
        List<String> unknown = new ArrayList<>();
        for (String key : keys) {
            if (key.startsWith(OWN_PREFIX)
                    && !known.contains(key)
                    && mapPrefixes.stream().noneMatch(key::startsWith)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(
                    "unknown option(s) " + unknown + "; known options are " + new TreeSet<>(known));
        }
        List<String> typos = new ArrayList<>();
        for (String key : keys) {
            if (!key.startsWith(OWN_PREFIX) && !key.startsWith("$")) {
                FlinkKeys.typoOf(key)
                        .ifPresent(
                                near -> typos.add("'" + key + "' (did you mean '" + near + "'?)"));
            }
        }
        if (!typos.isEmpty()) {
            throw new ConfigException("unknown Flink option(s): " + String.join(", ", typos));
        }
    }

    /** Reads every option once so that a value of the wrong type fails here, with its key. */
    private static void validateTypes(Configuration conf) {
        for (ConfigOption<?> option : ownOptions()) {
            try {
                conf.get(option);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "option " + option.key() + " has an invalid value: " + e.getMessage());
            }
        }
        Duration interval = conf.get(PersonalizeOptions.CHECKPOINT_INTERVAL);
        if (interval.isNegative() || interval.isZero()) {
            throw new ConfigException("personalize.checkpoint.interval must be positive");
        }
    }

    /**
     * A map option may also be given one entry per key, {@code <option>.<name>: value} (Flink reads
     * such keys into the map): what nested YAML under the option gives.
     */
    private static List<String> mapKeyPrefixes() {
        List<String> prefixes = new ArrayList<>();
        for (Field field : PersonalizeOptions.class.getFields()) {
            if (field.getGenericType() instanceof ParameterizedType option
                    && option.getActualTypeArguments()[0] instanceof ParameterizedType value
                    && value.getRawType() == Map.class) {
                try {
                    prefixes.add(((ConfigOption<?>) field.get(null)).key() + ".");
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return prefixes;
    }

    static Set<String> knownKeys() {
        return ownOptions().stream().map(ConfigOption::key).collect(Collectors.toSet());
    }

    static List<ConfigOption<?>> ownOptions() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : PersonalizeOptions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }
}
