package io.personalize.core.flows;

import java.util.List;
import java.util.stream.Collectors;

/** A flow definitions file was refused; {@link #problems()} lists every problem found. */
public class FlowValidationException extends Exception {
    private final List<FlowProblem> problems;

    public FlowValidationException(List<FlowProblem> problems) {
        super(
                problems.size()
                        + " problem(s) in flow definitions:\n"
                        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<FlowProblem> problems() {
        return problems;
    }
}
