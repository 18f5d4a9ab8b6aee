package io.personalize.core.flows;

import java.io.Serializable;

/**
 * One reason a flow definitions file is refused: the flow ({@code *} for the file itself), the
 * field ({@code trigger.condition}, {@code conditions[0]}, {@code content[1].when}, {@code
 * experiment.variants[0].weight}, ...; empty for the flow as a whole), the position in the field's
 * CEL rule (1-based line and column; 0 when the problem has no place in a rule) and what is wrong.
 */
public record FlowProblem(String flowId, String field, int line, int column, String message)
        implements Serializable {

    static FlowProblem of(String flowId, String field, String message) {
        return new FlowProblem(flowId, field, 0, 0, message);
    }

    @Override
    public String toString() {
        String in = field == null || field.isEmpty() ? "" : " " + field;
        String where = line > 0 ? " at " + line + ":" + column : "";
        return "flow '" + flowId + "'" + in + where + ": " + message;
    }
}
