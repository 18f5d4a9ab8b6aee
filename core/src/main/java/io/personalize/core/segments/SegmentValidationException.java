package io.personalize.core.segments;

import java.util.List;
import java.util.stream.Collectors;

/** A definitions file was refused; {@link #problems()} lists every problem found. */
public class SegmentValidationException extends Exception {
    private final List<SegmentProblem> problems;

    public SegmentValidationException(List<SegmentProblem> problems) {
        super(
                problems.size()
                        + " problem(s) in segment definitions:\n"
                        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<SegmentProblem> problems() {
        return problems;
    }
}
