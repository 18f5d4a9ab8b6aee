package io.personalize.job.config;

import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.models.ModelException;
import io.personalize.models.ModelRegistry;
import io.personalize.models.ModelRegistryUpdate;
import io.personalize.models.ServingModels;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * The scoring stage's parameters. The registry is checked at start (it must parse); the models it
 * names are loaded and validated on the task managers, where a failing one is refused and scored by
 * its fallback rule.
 *
 * @param registryPath the registry file; null for the shipped models
 * @param enabled false when {@code personalize.models.registry} is {@code none}
 */
public record ModelSettings(
        boolean enabled,
        String registryPath,
        boolean watch,
        Duration pollInterval,
        int batchSize,
        Duration batchTimeout,
        int intraOpThreads,
        Duration scoresBucket,
        double shadowFraction,
        Duration minInterval,
        DeclaredFeatures declared)
        implements Serializable {

    public static final String NONE = "none";

    /** Without declared features: cards name built-in features only. */
    public ModelSettings(
            boolean enabled,
            String registryPath,
            boolean watch,
            Duration pollInterval,
            int batchSize,
            Duration batchTimeout,
            int intraOpThreads,
            Duration scoresBucket,
            double shadowFraction,
            Duration minInterval) {
        this(
                enabled,
                registryPath,
                watch,
                pollInterval,
                batchSize,
                batchTimeout,
                intraOpThreads,
                scoresBucket,
                shadowFraction,
                minInterval,
                DeclaredFeatures.none());
    }

    static ModelSettings from(Configuration conf, DeclaredFeatures declared) {
        String registry = conf.get(PersonalizeOptions.MODELS_REGISTRY);
        boolean enabled = !NONE.equals(registry);
        ModelSettings settings =
                new ModelSettings(
                        enabled,
                        enabled ? registry : null,
                        conf.get(PersonalizeOptions.MODELS_WATCH),
                        conf.get(PersonalizeOptions.MODELS_POLL_INTERVAL),
                        conf.get(PersonalizeOptions.SCORING_BATCH_SIZE),
                        conf.get(PersonalizeOptions.SCORING_BATCH_TIMEOUT),
                        conf.get(PersonalizeOptions.SCORING_INTRA_OP_THREADS),
                        conf.get(PersonalizeOptions.SCORES_BUCKET),
                        conf.get(PersonalizeOptions.SCORING_SHADOW_FRACTION),
                        conf.get(PersonalizeOptions.SCORING_MIN_INTERVAL),
                        declared);
        settings.check();
        return settings;
    }

    /**
     * The model names flow rules may read ({@code score('m')}): the shipped ones (the bundled flows
     * read them; a score of a model that does not serve is unknown) and those the configured
     * registry names; null (not checked) when the registry is watched, since a model may arrive
     * later.
     */
    public java.util.Set<String> ruleModelNames() {
        if (!enabled || registryPath == null) {
            return io.personalize.core.flows.FlowCompiler.SHIPPED_MODELS;
        }
        if (watches()) {
            return null;
        }
        try {
            java.util.Set<String> names =
                    new java.util.TreeSet<>(io.personalize.core.flows.FlowCompiler.SHIPPED_MODELS);
            names.addAll(
                    ModelRegistry.parse(
                                    Files.readString(Path.of(registryPath), StandardCharsets.UTF_8),
                                    registryPath)
                            .models()
                            .keySet());
            return java.util.Set.copyOf(names);
        } catch (IOException | ModelException e) {
            throw new ConfigException("personalize.models.registry: cannot read " + registryPath);
        }
    }

    /** Whether the registry is re-read while the job runs. */
    public boolean watches() {
        return enabled && watch && registryPath != null;
    }

    private void check() {
        if (watch && enabled && registryPath == null) {
            throw new ConfigException(
                    "personalize.models.watch needs personalize.models.registry (a file)");
        }
        if (scoresBucket.toMillis() < 1) {
            throw new ConfigException("personalize.scores.bucket must be at least 1 ms");
        }
        if (batchSize < 1) {
            throw new ConfigException("personalize.scoring.batch-size must be at least 1");
        }
        if (intraOpThreads < 1) {
            throw new ConfigException("personalize.scoring.intra-op-threads must be at least 1");
        }
        if (batchTimeout.isNegative() || batchTimeout.isZero()) {
            throw new ConfigException("personalize.scoring.batch-timeout must be positive");
        }
        if (!(shadowFraction >= 0 && shadowFraction <= 1)) {
            throw new ConfigException("personalize.scoring.shadow-fraction must be within 0..1");
        }
        if (minInterval.isNegative()) {
            throw new ConfigException("personalize.scoring.min-interval must not be negative");
        }
        if (registryPath != null) {
            try {
                ModelRegistry.parse(
                        Files.readString(Path.of(registryPath), StandardCharsets.UTF_8),
                        registryPath);
            } catch (IOException e) {
                throw new ConfigException(
                        "personalize.models.registry: cannot read " + registryPath);
            } catch (ModelException e) {
                throw new ConfigException(e.getMessage());
            }
            refuseModelsThatFailTheirCards(registryPath, declared);
        }
    }

    /**
     * Loads every model the registry names as the scoring stage would (card, signature, golden
     * examples): a start with a model that fails is refused like one with bad segments or flows,
     * instead of running on fallbacks. A model swapped in while the job runs is refused and the
     * previous one keeps serving.
     */
    private static void refuseModelsThatFailTheirCards(
            String registryPath, DeclaredFeatures declared) {
        ModelRegistryUpdate reading =
                ModelRegistryUpdate.read(Path.of(registryPath), System.currentTimeMillis());
        List<String> refusals;
        try (ServingModels models = new ServingModels(1, declared.registry())) {
            refusals = models.apply(reading);
        }
        if (!refusals.isEmpty()) {
            throw new ConfigException(
                    "personalize.models.registry "
                            + registryPath
                            + ": "
                            + refusals.size()
                            + " problem(s):\n  "
                            + String.join("\n  ", refusals));
        }
    }
}
