package io.personalize.core.segments;

import java.io.Serializable;

/**
 * One reason a definitions file is refused: the segment, the position in its rule (1-based line and
 * column; 0 when the problem has no place in the rule, e.g. a duplicate id) and what is wrong.
 */
public record SegmentProblem(String segmentId, int line, int column, String message)
        implements Serializable {

    @Override
    public String toString() {
        String where = line > 0 ? " at " + line + ":" + column : "";
        return "segment '" + segmentId + "'" + where + ": " + message;
    }
}
