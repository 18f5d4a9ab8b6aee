package io.personalize.core.segments;

import dev.cel.runtime.CelEvaluationException;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureRegistry;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checked, immutable rule set: evaluates every segment for one customer, in dependency order so
 * {@code in_segment} sees the segments it references. Serializable as its definitions; a copy is
 * recompiled against {@link FeatureRegistry#standard()} with the same declared features on
 * deserialization.
 */
public final class CompiledSegments implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient FeatureRegistry registry;
    private final SegmentDefinitions definitions;
    private final transient List<CompiledRule> rules;

    CompiledSegments(
            FeatureRegistry registry, SegmentDefinitions definitions, List<CompiledRule> rules) {
        this.registry = registry;
        this.definitions = definitions;
        this.rules = List.copyOf(rules);
    }

    /** The rule-set version from the definitions file. */
    public long version() {
        return definitions.version();
    }

    public SegmentDefinitions definitions() {
        return definitions;
    }

    /** Segment ids, referenced segments before the segments that reference them. */
    public List<String> evaluationOrder() {
        return rules.stream().map(CompiledRule::id).toList();
    }

    /** The variables (feature names, {@code as_of}) the segment's rule reads. */
    public Set<String> variablesOf(String segmentId) {
        return rule(segmentId).variables();
    }

    /**
     * The score segments (rules that read a champion score, themselves or through {@code
     * in_segment}), in evaluation order: evaluated in the scoring stage, not before it.
     */
    public List<String> scoreSegments() {
        return rules.stream().filter(CompiledRule::readsScores).map(CompiledRule::id).toList();
    }

    /** The models whose scores the segment's rule reads itself. */
    public Set<String> modelsOf(String segmentId) {
        return rule(segmentId).models();
    }

    /** The segments the segment's rule references through {@code in_segment}. */
    public List<String> segmentReferencesOf(String segmentId) {
        return rule(segmentId).segmentReferences();
    }

    /**
     * Every segment's membership for one customer as of an event time. Never throws for a rule: a
     * missing value (no value, no default) or any other evaluation error gives {@link
     * Membership#UNKNOWN} with a reason. The map is in definition-file order.
     *
     * @param viewed the customer's recent views with times, for {@code viewed_product}; may be null
     *     (no views)
     */
    public Map<String, SegmentResult> evaluate(
            CustomerFeatures features, long asOf, ViewedProducts viewed) {
        return evaluate(features, asOf, viewed, Map.of());
    }

    /**
     * As {@link #evaluate(CustomerFeatures, long, ViewedProducts)}, with the customer's champion
     * scores by model name for the score segments (a model without a score: unknown).
     */
    public Map<String, SegmentResult> evaluate(
            CustomerFeatures features,
            long asOf,
            ViewedProducts viewed,
            Map<String, io.personalize.core.scoring.CustomerScore> scores) {
        EvaluationContext context =
                new EvaluationContext(registry)
                        .reset(features, asOf, TimeAnchors.ofViews(viewed))
                        .withScores(scores);
        Map<String, SegmentResult> byId = new LinkedHashMap<>();
        for (CompiledRule rule : rules) {
            SegmentResult result = evaluate(rule, context);
            context.record(rule.id(), result);
            byId.put(rule.id(), result);
        }
        Map<String, SegmentResult> inFileOrder = new LinkedHashMap<>();
        for (SegmentDefinition d : definitions.segments()) {
            inFileOrder.put(d.id(), byId.get(d.id()));
        }
        return Collections.unmodifiableMap(inFileOrder);
    }

    List<CompiledRule> rules() {
        return rules;
    }

    FeatureRegistry registry() {
        return registry;
    }

    static SegmentResult evaluate(CompiledRule rule, EvaluationContext context) {
        context.startRule();
        try {
            Object value = rule.program().eval(context, context.functions());
            if (value instanceof Boolean member) {
                return member ? SegmentResult.MEMBER : SegmentResult.NOT_MEMBER;
            }
            if (!context.missing().isEmpty()) {
                // CEL treats an absent variable as unknown and returns the unknown set
                return SegmentResult.unknown(missingReason(context));
            }
            return SegmentResult.unknown("rule gave " + value + ", not a bool");
        } catch (CelEvaluationException e) {
            return SegmentResult.unknown(reason(context, e));
        } catch (RuntimeException e) {
            return SegmentResult.unknown("evaluation failed: " + e);
        }
    }

    private static String reason(EvaluationContext context, CelEvaluationException e) {
        return context.missing().isEmpty() ? e.getMessage() : missingReason(context);
    }

    private static String missingReason(EvaluationContext context) {
        return "no value for " + String.join(", ", context.missing());
    }

    private CompiledRule rule(String segmentId) {
        return rules.stream()
                .filter(r -> r.id().equals(segmentId))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown segment '" + segmentId + "'"));
    }

    private Object writeReplace() throws ObjectStreamException {
        return new SerializedForm(definitions, registry.declared());
    }

    /** The definitions; recompiled when read. */
    private record SerializedForm(
            SegmentDefinitions definitions,
            List<io.personalize.core.features.declared.DeclaredFeature> declared)
            implements Serializable {
        private Object readResolve() throws ObjectStreamException {
            try {
                return new SegmentCompiler(FeatureRegistry.standard().with(declared))
                        .compile(definitions);
            } catch (SegmentValidationException e) {
                throw new java.io.InvalidObjectException(e.getMessage());
            }
        }
    }
}
