package io.personalize.job.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * The configuration keys Flink's own option classes declare, to report a mistyped Flink key (say
 * {@code execution.checkpointing.intervall}) instead of ignoring it silently. Flink has no central
 * list of its keys and connectors add their own, so a key is reported only when it is unknown and
 * one known key is a near miss (an edit distance of at most two): a typo, not a key of some other
 * component.
 */
final class FlinkKeys {
    private static final List<String> OPTION_CLASSES =
            List.of(
                    "org.apache.flink.configuration.BatchExecutionOptions",
                    "org.apache.flink.configuration.BlobServerOptions",
                    "org.apache.flink.configuration.CheckpointingOptions",
                    "org.apache.flink.configuration.CleanupOptions",
                    "org.apache.flink.configuration.ClusterOptions",
                    "org.apache.flink.configuration.CoreOptions",
                    "org.apache.flink.configuration.DeploymentOptions",
                    "org.apache.flink.configuration.ExecutionOptions",
                    "org.apache.flink.configuration.HeartbeatManagerOptions",
                    "org.apache.flink.configuration.HighAvailabilityOptions",
                    "org.apache.flink.configuration.JobManagerOptions",
                    "org.apache.flink.configuration.MetricOptions",
                    "org.apache.flink.configuration.NettyShuffleEnvironmentOptions",
                    "org.apache.flink.configuration.PipelineOptions",
                    "org.apache.flink.configuration.ResourceManagerOptions",
                    "org.apache.flink.configuration.RestartStrategyOptions",
                    "org.apache.flink.configuration.RestOptions",
                    "org.apache.flink.configuration.RpcOptions",
                    "org.apache.flink.configuration.SecurityOptions",
                    "org.apache.flink.configuration.StateBackendOptions",
                    "org.apache.flink.configuration.StateChangelogOptions",
                    "org.apache.flink.configuration.StateRecoveryOptions",
                    "org.apache.flink.configuration.TaskManagerOptions",
                    "org.apache.flink.configuration.WebOptions",
                    "org.apache.flink.state.rocksdb.RocksDBOptions",
                    "org.apache.flink.state.rocksdb.RocksDBConfigurableOptions");

    private static final Set<String> KNOWN = known();

    private FlinkKeys() {}

    /** The known key {@code key} is probably a typo of, if it is not known itself. */
    static Optional<String> typoOf(String key) {
        if (KNOWN.contains(key)) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = 3;
        for (String candidate : KNOWN) {
            if (Math.abs(candidate.length() - key.length()) < bestDistance) {
                int distance = distance(key, candidate, bestDistance);
                if (distance < bestDistance) {
                    best = candidate;
                    bestDistance = distance;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static Set<String> known() {
        Set<String> keys = new HashSet<>();
        for (String className : OPTION_CLASSES) {
            Class<?> holder;
            try {
                holder = Class.forName(className, false, FlinkKeys.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError notOnClassPath) {
                continue;
            }
            for (Field field : holder.getFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                        keys.add(option.key());
                        for (FallbackKey fallback : option.fallbackKeys()) {
                            keys.add(fallback.getKey());
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return keys;
    }

    /** Levenshtein distance, stopping early at {@code limit}. */
    private static int distance(String a, String b, int limit) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] =
                        Math.min(
                                Math.min(current[j - 1] + 1, previous[j] + 1),
                                previous[j - 1] + cost);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
