package io.personalize.core.features.declared;

import java.util.List;
import java.util.stream.Collectors;

/** A declared-features file was refused; {@link #problems()} lists every problem found. */
public class FeatureValidationException extends Exception {
    private final List<FeatureProblem> problems;

    public FeatureValidationException(List<FeatureProblem> problems) {
        super(
                problems.size()
                        + " problem(s) in declared features:\n"
                        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<FeatureProblem> problems() {
        return problems;
    }
}
