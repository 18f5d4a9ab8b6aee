package io.personalize.core.segments;

import dev.cel.runtime.CelRuntime;
import io.personalize.core.features.FeatureDefinition;
import java.util.List;
import java.util.Set;

/**
 * One checked segment rule: its definition, the CEL program, the variables it reads (from the
 * checked AST), the features whose values decide it ({@code inputs}: its feature variables, and
 * {@code category_affinity} when it calls that function), the segments it references through {@code
 * in_segment}, when it can change by time alone, the models whose scores it reads itself ({@code
 * score}, {@code score_of}, {@code score_label}), and whether it is a score segment: it reads a
 * score itself or through the segments it references, so it is evaluated in the scoring stage.
 */
record CompiledRule(
        SegmentDefinition definition,
        CelRuntime.Program program,
        Set<String> variables,
        List<FeatureDefinition> inputs,
        List<String> segmentReferences,
        RuleTiming timing,
        Set<String> models,
        boolean readsScores) {

    CompiledRule {
        variables = Set.copyOf(variables);
        models = Set.copyOf(models);
        inputs = List.copyOf(inputs);
        segmentReferences = List.copyOf(segmentReferences);
    }

    String id() {
        return definition.id();
    }
}
