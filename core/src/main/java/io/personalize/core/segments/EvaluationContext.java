package io.personalize.core.segments;

import com.google.protobuf.Duration;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one customer's rules see: feature values (a value, else the registry default, else absent),
 * {@code as_of}, the champion scores (score segments, in the scoring stage) and the late-bound
 * segment functions. Absent names are recorded, so an error can be explained as missing data. Reset
 * per customer ({@link #reset}); not thread-safe.
 */
final class EvaluationContext implements CelVariableResolver {
    private final FeatureRegistry registry;
    private CustomerFeatures features;
    private long asOf;
    private TimeAnchors anchors;
    private Map<String, CustomerScore> scores = Map.of();
    private final Map<String, SegmentResult> results = new HashMap<>();
    private final Set<String> missing = new LinkedHashSet<>();
    private final CelLateFunctionBindings functions;

    EvaluationContext(FeatureRegistry registry) {
        this.registry = registry;
        this.functions =
                CelLateFunctionBindings.from(
                        CelFunctionBinding.from(
                                CelEnvironment.IN_SEGMENT_OVERLOAD, String.class, this::inSegment),
                        CelFunctionBinding.from(
                                CelEnvironment.VIEWED_PRODUCT_OVERLOAD,
                                String.class,
                                Duration.class,
                                this::viewedProduct),
                        CelFunctionBinding.from(
                                CelEnvironment.CATEGORY_AFFINITY_OVERLOAD,
                                String.class,
                                this::categoryAffinity),
                        CelFunctionBinding.from(
                                CelEnvironment.SCORE_OVERLOAD, String.class, this::score),
                        CelFunctionBinding.from(
                                CelEnvironment.SCORE_LABEL_OVERLOAD,
                                String.class,
                                this::scoreLabel),
                        CelFunctionBinding.from(
                                CelEnvironment.SCORE_OF_OVERLOAD,
                                String.class,
                                String.class,
                                this::scoreOf));
    }

    /** Starts the evaluation of one customer; reusable, so no context is built per call. */
    EvaluationContext reset(CustomerFeatures features, long asOf, TimeAnchors anchors) {
        this.features = features;
        this.asOf = asOf;
        this.anchors = anchors == null ? TimeAnchors.none() : anchors;
        this.scores = Map.of();
        // results are not cleared: every rule records one, in dependency order, before any rule
        // that references it reads it (and clearing would re-allocate the entries each time)
        missing.clear();
        return this;
    }

    /** The champion scores by model name, for this evaluation (after {@link #reset}). */
    EvaluationContext withScores(Map<String, CustomerScore> champions) {
        this.scores = champions == null ? Map.of() : champions;
        return this;
    }

    CelLateFunctionBindings functions() {
        return functions;
    }

    @Override
    public Optional<Object> find(String name) {
        if (CelEnvironment.AS_OF.equals(name)) {
            return Optional.of(timestamp(asOf));
        }
        Optional<FeatureDefinition> definition = registry.get(name);
        if (definition.isEmpty()) {
            return Optional.empty();
        }
        if (features.staleFeatures != null && features.staleFeatures.contains(name)) {
            // older than its max age: unknown, whatever its default
            missing.add(
                    name + " (stale: older than its max age " + definition.get().maxAge() + ")");
            return Optional.empty();
        }
        Object value = registry.value(name, features);
        if (value == null) {
            missing.add(name);
            return Optional.empty();
        }
        if (definition.get().type() == FeatureType.TIMESTAMP) {
            return Optional.of(timestamp(((Number) value).longValue()));
        }
        return Optional.of(value);
    }

    /** Clears what the previous rule found missing. */
    void startRule() {
        missing.clear();
    }

    Set<String> missing() {
        return missing;
    }

    void record(String segmentId, SegmentResult result) {
        results.put(segmentId, result);
    }

    private boolean inSegment(String segmentId) throws CelEvaluationException {
        SegmentResult result = results.get(segmentId);
        if (result == null) {
            throw new CelEvaluationException("segment '" + segmentId + "' not evaluated");
        }
        if (result.membership() == Membership.UNKNOWN) {
            throw new CelEvaluationException(
                    "segment '" + segmentId + "' is unknown (" + result.reason() + ")");
        }
        return result.isMember();
    }

    private boolean viewedProduct(String productId, Duration window) {
        return anchors.viewedWithin(
                productId, asOf, window.getSeconds() * 1000L + window.getNanos() / 1_000_000);
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

    static Timestamp timestamp(long epochMillis) {
        return Timestamp.newBuilder()
                .setSeconds(Math.floorDiv(epochMillis, 1000L))
                .setNanos((int) Math.floorMod(epochMillis, 1000L) * 1_000_000)
                .build();
    }
}
