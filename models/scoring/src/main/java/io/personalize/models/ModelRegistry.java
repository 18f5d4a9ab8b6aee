package io.personalize.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.FeatureType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which model versions serve: per model name a champion (its scores drive decisions), optionally a
 * challenger (scored in the shadow and recorded, never used) and a {@link FallbackRule}. Paths are
 * relative to the registry file; each model's card lies next to it ({@code model.yaml}).
 *
 * <pre>
 * models:
 *   purchase_propensity:
 *     champion: {path: purchase_propensity/1/model.onnx, version: "1"}
 *     challenger: {path: purchase_propensity/1-logistic/model.onnx, version: "1-logistic"}
 *     fallback: {base: 0.05, weights: {orders_30d: 0.1, engagement_score: 0.3}, min: 0, max: 1}
 * </pre>
 *
 * The release's version must equal its card's, and the card's name the model's name: a registry
 * that says one thing and a card that says another is refused.
 */
public record ModelRegistry(Map<String, Slot> models) {
    /** The shipped registry, on the classpath with the shipped models. */
    public static final String SHIPPED_RESOURCE_DIR = "io/personalize/models/shipped/";

    public static final String FILE_NAME = "registry.yaml";

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public ModelRegistry {
        models = models == null ? Map.of() : new TreeMap<>(models);
    }

    /** One model name's releases. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Slot(Release champion, Release challenger, FallbackRule fallback) {
        public FallbackRule fallbackOrZero() {
            return fallback == null ? FallbackRule.ZERO : fallback;
        }
    }

    /** A model file (relative to the registry) and the version its card must have. */
    public record Release(String path, String version) {}

    /**
     * Parses and checks a registry.
     *
     * @throws ModelException naming every problem
     */
    public static ModelRegistry parse(String yaml, String source) throws ModelException {
        ModelRegistry registry;
        try {
            registry = YAML.readValue(yaml, ModelRegistry.class);
        } catch (IOException e) {
            throw new ModelException(
                    "model registry " + source, "not a model registry: " + e.getMessage(), e);
        }
        if (registry == null) {
            throw new ModelException("model registry " + source, List.of("empty file"));
        }
        List<String> problems = new ArrayList<>();
        if (registry.models().isEmpty()) {
            problems.add("no models listed under models:");
        }
        registry.models()
                .forEach(
                        (name, slot) -> {
                            if (slot == null || slot.champion() == null) {
                                problems.add(name + ": champion missing");
                                return;
                            }
                            checkRelease(name + ".champion", slot.champion(), problems);
                            if (slot.challenger() != null) {
                                checkRelease(name + ".challenger", slot.challenger(), problems);
                            }
                            if (slot.fallback() != null) {
                                checkFallback(name, slot.fallback(), problems);
                            }
                        });
        if (!problems.isEmpty()) {
            throw new ModelException("model registry " + source, problems);
        }
        return registry;
    }

    /** The registry as YAML that {@link #parse} reads back. */
    public String toYaml() {
        try {
            return YAML.writeValueAsString(this);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void checkRelease(String where, Release release, List<String> problems) {
        if (release.path() == null || release.path().isBlank()) {
            problems.add(where + ": path missing");
        }
        if (release.version() == null || release.version().isBlank()) {
            problems.add(where + ": version missing");
        }
    }

    private static void checkFallback(String name, FallbackRule rule, List<String> problems) {
        for (String feature : rule.weights().keySet()) {
            Optional<FeatureDefinition> definition = FeatureRegistry.standard().get(feature);
            if (definition.isEmpty()) {
                problems.add(name + ".fallback: unknown feature '" + feature + "'");
            } else if (definition.get().type() != FeatureType.LONG
                    && definition.get().type() != FeatureType.DOUBLE) {
                problems.add(name + ".fallback: feature '" + feature + "' is not numeric");
            }
        }
    }
}
