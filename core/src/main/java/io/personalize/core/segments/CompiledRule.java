package io.personalize.core.segments;

import dev.cel.runtime.CelRuntime;
import io.personalize.core.features.FeatureDefinition;
import java.util.List;
import java.util.Set;

/**
 * One checked segment rule: its definition, the CEL program, the variables it reads (from the
 * checked AST), the features whose values decide it ({@code inputs}: its feature variables, and
 * {@code category_affinity} when it calls that function), the segments it references through {@code
 * in_segment}, and when it can change by time alone.
 */
record CompiledRule(
        SegmentDefinition definition,
        CelRuntime.Program program,
        Set<String> variables,
        List<FeatureDefinition> inputs,
        List<String> segmentReferences,
        RuleTiming timing) {

    CompiledRule {
        variables = Set.copyOf(variables);
        inputs = List.copyOf(inputs);
        segmentReferences = List.copyOf(segmentReferences);
    }

    String id() {
        return definition.id();
    }
}
