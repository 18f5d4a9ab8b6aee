package io.personalize.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureRegistry;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rule-based score used when a model cannot score (it failed to load, ONNX Runtime failed, or
 * it returned NaN): {@code clamp(base + sum(weight x feature), min, max)}, where a missing feature
 * counts as its registry default, else 0. Scores from it are recorded with {@code fallback = true}.
 * Without a rule in the registry the fallback is the constant 0 (no model-driven action).
 *
 * <pre>
 * fallback: {base: 0.05, weights: {orders_30d: 0.1, engagement_score: 0.3}, min: 0, max: 1}
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FallbackRule(double base, Map<String, Double> weights, Double min, Double max)
        implements Serializable {

    public static final FallbackRule ZERO = new FallbackRule(0, Map.of(), null, null);

    public FallbackRule {
        weights = weights == null ? Map.of() : new LinkedHashMap<>(weights);
    }

    public double score(CustomerFeatures features) {
        FeatureRegistry registry = FeatureRegistry.standard();
        double score = base;
        for (Map.Entry<String, Double> weight : weights.entrySet()) {
            if (registry.value(weight.getKey(), features) instanceof Number n) {
                score += weight.getValue() * n.doubleValue();
            }
        }
        if (min != null) {
            score = Math.max(min, score);
        }
        if (max != null) {
            score = Math.min(max, score);
        }
        return score;
    }
}
