package io.personalize.job.scoring;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.CompiledSegments;
import io.personalize.core.segments.SegmentChange;
import io.personalize.core.segments.SegmentCompiler;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.segments.SegmentEngine;
import io.personalize.core.segments.SegmentEngine.Transition;
import io.personalize.core.segments.SegmentState;
import io.personalize.core.segments.SegmentValidationException;
import io.personalize.core.segments.TimeAnchors;
import io.personalize.job.segments.SegmentMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.MetricGroup;

/**
 * The score segments of the segment definitions ({@link CompiledSegments#scoreSegments}), evaluated
 * by the scoring stage at each of a customer's moments, with the champion scores the moment carries
 * and the base segments it is in. Their memberships are kept per customer in keyed state ({@link
 * io.personalize.job.Descriptors#SCORE_SEGMENTS}); each entry or exit is a {@link SegmentChange}
 * and is added to the moment ({@code segments}, {@code segmentChanges}) on a copy of its features,
 * so a consumer of the customer stage that still holds the original never sees it change. They have
 * no timers of their own: a time-relative part of their rule is checked again at the customer's
 * next moment.
 */
final class ScoreSegments {
    private final SegmentEngine engine;
    private final SegmentMetrics metrics;

    /**
     * @param definitions the segment definitions; null: none
     * @param registry the features their rules may read (built-in and declared)
     */
    ScoreSegments(
            SegmentDefinitions definitions,
            io.personalize.core.features.FeatureRegistry registry,
            MetricGroup operatorGroup) {
        this.engine = definitions == null ? null : engine(definitions, registry);
        this.metrics = engine == null ? null : new SegmentMetrics(operatorGroup);
        if (metrics != null) {
            metrics.version(engine.version());
        }
    }

    private static SegmentEngine engine(
            SegmentDefinitions definitions, io.personalize.core.features.FeatureRegistry registry) {
        CompiledSegments compiled;
        try {
            compiled = new SegmentCompiler(registry).compile(definitions);
        } catch (SegmentValidationException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // checked at start-up already
        }
        return compiled.scoreSegments().isEmpty()
                ? null
                : new SegmentEngine(compiled, SegmentEngine.Part.SCORES);
    }

    /** Whether any segment reads scores. */
    boolean any() {
        return engine != null;
    }

    /**
     * The moment's features with its score segments: the same object when none changed, else a copy
     * whose segment list and changes include them; each change also goes to {@code changes}. The
     * state is that of the moment's customer (the current key).
     */
    CustomerFeatures evaluate(
            CustomerFeatures features,
            Map<String, CustomerScore> champions,
            ValueState<SegmentState> state,
            Consumer<SegmentChange> changes)
            throws Exception {
        SegmentState memberships = state.value();
        boolean fresh = memberships == null;
        if (fresh) {
            memberships = new SegmentState();
        }
        List<Transition> transitions =
                engine.evaluate(memberships, features, TimeAnchors.none(), champions);
        if (fresh || engine.lastEvaluated() > 0) {
            state.update(memberships); // no write when every rule's inputs were unchanged
        }
        List<String> members = engine.members(memberships);
        if (transitions.isEmpty() && members.isEmpty()) {
            return features;
        }
        CustomerFeatures out = features.shallowCopy();
        List<String> segments =
                new ArrayList<>(features.segments == null ? List.of() : features.segments);
        segments.addAll(members);
        segments.sort(null);
        out.segments = segments;
        for (Transition transition : transitions) {
            metrics.record(transition);
            if (transition.entered() || transition.exited()) {
                SegmentChange change =
                        SegmentChange.of(
                                features.customerKey,
                                features.customerId,
                                transition,
                                features.asOf,
                                features.computedAt,
                                engine.version());
                changes.accept(change);
                if (out.segmentChanges == features.segmentChanges) {
                    out.segmentChanges =
                            new ArrayList<>(
                                    features.segmentChanges == null
                                            ? List.of()
                                            : features.segmentChanges);
                }
                out.segmentChanges.add(change);
            }
        }
        return out;
    }

    /** An erased customer: out of the gauges (no segment_changes row of an erased key). */
    void erase(ValueState<SegmentState> state) throws Exception {
        SegmentState memberships = state.value();
        if (memberships != null) {
            engine.leaveAll(memberships, "erased").forEach(metrics::record);
        }
        state.clear();
    }

    /** Members and unknown per score segment, for the operator's checkpoint. */
    Map<String, long[]> counts() {
        return metrics.counts();
    }

    void restore(String segmentId, long members, long unknown) {
        metrics.restore(segmentId, members, unknown);
    }
}
