package io.personalize.job.decisions;

import io.personalize.core.flows.CompiledFlows;
import io.personalize.core.flows.FlowCompiler;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.flows.FlowValidationException;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.features.ServingDeclaredFeatures;
import io.personalize.job.reload.Offer;
import io.personalize.job.reload.Reloads;
import io.personalize.job.reload.Serving;
import io.personalize.job.segments.SegmentRulesUpdate;
import java.util.Objects;
import java.util.Optional;

/**
 * The flow definitions a decision subtask serves, and the reload rule: a reading that compiles and
 * passes {@link CompiledFlows#reloadProblem} replaces them; anything else is refused with its
 * reason, once per distinct reading, and the serving flows stay ({@link Reloads} reports it). Plain
 * Java.
 */
final class ServingFlows implements Serving<SegmentRulesUpdate> {
    private final SegmentDefinitions segments;
    private final java.util.Set<String> models;
    private FlowCompiler compiler;
    private CompiledFlows flows;
    private String text;
    private String lastRefused;

    ServingFlows(
            FlowDefinitions configured,
            SegmentDefinitions segments,
            io.personalize.core.features.FeatureRegistry registry,
            java.util.Set<String> models) {
        this.segments = segments;
        this.models = models;
        this.compiler =
                FlowCompiler.standard()
                        .withRegistry(registry)
                        .withSegments(segments)
                        .withModels(models);
        try {
            this.flows = compiler.compile(configured);
        } catch (FlowValidationException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // checked at start-up already
        }
    }

    CompiledFlows flows() {
        return flows;
    }

    /** The serving text when it came from a reading (to keep for a restore); null otherwise. */
    String text() {
        return text;
    }

    /**
     * Compiles the serving flows again against {@code registry} (the declared features changed) and
     * compiles later readings against it; a reading refused before is judged again at its next poll
     * (it may name a feature only these declared features add).
     *
     * @throws ServingDeclaredFeatures.Refused when the serving flows do not compile against it;
     *     nothing changes then
     */
    void withRegistry(io.personalize.core.features.FeatureRegistry registry, long declaredVersion)
            throws ServingDeclaredFeatures.Refused {
        FlowCompiler next =
                FlowCompiler.standard()
                        .withRegistry(registry)
                        .withSegments(segments)
                        .withModels(models);
        CompiledFlows recompiled;
        try {
            recompiled = next.compile(flows.definitions());
        } catch (FlowValidationException | RuntimeException e) {
            throw new ServingDeclaredFeatures.Refused(
                    "the serving flow definitions version "
                            + flows.version()
                            + " do not compile with declared features version "
                            + declaredVersion
                            + ":\n"
                            + e.getMessage());
        }
        compiler = next;
        flows = recompiled;
        lastRefused = null;
    }

    /**
     * Serves what a checkpoint kept; kept text that no longer compiles leaves the flows as they
     * are.
     */
    Optional<String> restore(String restored) {
        if (restored == null || restored.equals(text)) {
            return Optional.empty();
        }
        text = restored;
        try {
            flows = compiler.compile(restored);
            return Optional.empty();
        } catch (FlowValidationException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Offers a reading: it serves when it compiles and passes {@link CompiledFlows#reloadProblem};
     * the same reading refused before is let pass quietly.
     */
    @Override
    public Offer offer(SegmentRulesUpdate update) {
        String reading = update.text != null ? update.text : update.error;
        if (reading == null || Objects.equals(reading, lastRefused)) {
            return Offer.unchanged();
        }
        if (update.text == null) {
            return refuse(reading, update.error);
        }
        CompiledFlows next;
        try {
            next = compiler.compile(update.text);
        } catch (FlowValidationException e) {
            return refuse(reading, e.getMessage());
        }
        Optional<String> problem = flows.reloadProblem(next);
        if (problem.isPresent()) {
            return refuse(reading, problem.get());
        }
        lastRefused = null;
        if (next.equals(flows)) {
            return Offer.unchanged();
        }
        flows = next;
        text = update.text;
        return Offer.accepted();
    }

    @Override
    public Object version() {
        return flows.version();
    }

    private Offer refuse(String reading, String why) {
        lastRefused = reading;
        return Offer.refused(why, reading);
    }
}
