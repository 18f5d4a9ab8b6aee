package io.personalize.core.segments;

import java.io.Serializable;
import java.util.List;

/**
 * One segment as written in a definitions file: a stable id, a display name, a description, a CEL
 * rule over the feature registry's names, and optional tags.
 */
public record SegmentDefinition(
        String id, String name, String description, String rule, List<String> tags)
        implements Serializable {

    public SegmentDefinition {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
