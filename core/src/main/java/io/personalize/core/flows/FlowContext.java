package io.personalize.core.flows;

import com.google.protobuf.Timestamp;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelLateFunctionBindings;
import dev.cel.runtime.CelVariableResolver;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.FeatureType;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.CelEnvironment;
import io.personalize.core.segments.ScoreFunctions;
import java.util.Map;
import java.util.Optional;

/**
 * What one customer's flow rules see: feature values (a value, else the registry default, else
 * absent: unknown to CEL), {@code as_of} (the features' event time), the segments the customer is
 * in ({@link CustomerFeatures#segments}), and the champion scores by model name. A missing score,
 * label or segment list makes the function fail, which CEL treats like an unknown value. Reused
 * across evaluations ({@link #reset}) by one thread; not thread-safe.
 */
final class FlowContext implements CelVariableResolver {
    private FeatureRegistry registry;
    private CustomerFeatures features;
    private Map<String, CustomerScore> scores;
    private final CelLateFunctionBindings functions;

    FlowContext(
            FeatureRegistry registry,
            CustomerFeatures features,
            Map<String, CustomerScore> scores) {
        reset(registry, features, scores);
        this.functions =
                CelLateFunctionBindings.from(
                        CelFunctionBinding.from(
                                CelEnvironment.IN_SEGMENT_OVERLOAD, String.class, this::inSegment),
                        CelFunctionBinding.from(
                                CelEnvironment.CATEGORY_AFFINITY_OVERLOAD,
                                String.class,
                                this::categoryAffinity),
                        CelFunctionBinding.from(
                                FlowCompiler.SCORE_OVERLOAD, String.class, this::score),
                        CelFunctionBinding.from(
                                FlowCompiler.SCORE_LABEL_OVERLOAD, String.class, this::scoreLabel),
                        CelFunctionBinding.from(
                                FlowCompiler.SCORE_OF_OVERLOAD,
                                String.class,
                                String.class,
                                this::scoreOf));
    }

    /** Points the context at another evaluation (the bindings call back into this object). */
    FlowContext reset(
            FeatureRegistry registry,
            CustomerFeatures features,
            Map<String, CustomerScore> scores) {
        this.registry = registry;
        this.features = features;
        this.scores = scores == null ? Map.of() : scores;
        return this;
    }

    CelLateFunctionBindings functions() {
        return functions;
    }

    @Override
    public Optional<Object> find(String name) {
        if (CelEnvironment.AS_OF.equals(name)) {
            return Optional.of(timestamp(features.asOf));
        }
        Optional<FeatureDefinition> definition = registry.get(name);
        if (definition.isEmpty()) {
            return Optional.empty();
        }
        if (features.staleFeatures != null && features.staleFeatures.contains(name)) {
            return Optional.empty(); // older than its max age: unknown, whatever its default
        }
        Object value = registry.value(name, features);
        if (value == null) {
            return Optional.empty();
        }
        if (definition.get().type() == FeatureType.TIMESTAMP) {
            return Optional.of(timestamp(((Number) value).longValue()));
        }
        return Optional.of(value);
    }

    private boolean inSegment(String segmentId) throws CelEvaluationException {
        if (features.segments == null) {
            throw new CelEvaluationException("segments not evaluated for this customer");
        }
        return features.segments.contains(segmentId);
    }

    private double categoryAffinity(String category) {
        Map<String, Double> affinity = features.categoryAffinity;
        Double share = affinity == null ? null : affinity.get(category);
        return share == null ? 0.0 : share;
    }

    private double score(String model) throws CelEvaluationException {
        return ScoreFunctions.score(scores, model);
    }

    private String scoreLabel(String model) throws CelEvaluationException {
        return ScoreFunctions.label(scores, model);
    }

    private double scoreOf(String model, String label) throws CelEvaluationException {
        return ScoreFunctions.probability(scores, model, label);
    }

    private static Timestamp timestamp(long epochMillis) {
        return Timestamp.newBuilder()
                .setSeconds(Math.floorDiv(epochMillis, 1000L))
                .setNanos((int) Math.floorMod(epochMillis, 1000L) * 1_000_000)
                .build();
    }
}
