package io.personalize.core.segments;

import dev.cel.runtime.CelRuntime;
import java.util.List;
import java.util.Set;

/**
 * One checked segment rule: its definition, the CEL program, the variables it reads (from the
 * checked AST) and the segments it references through {@code in_segment}.
 */
record CompiledRule(
        SegmentDefinition definition,
        CelRuntime.Program program,
        Set<String> variables,
        List<String> segmentReferences) {

    CompiledRule {
        variables = Set.copyOf(variables);
        segmentReferences = List.copyOf(segmentReferences);
    }

    String id() {
        return definition.id();
    }
}
