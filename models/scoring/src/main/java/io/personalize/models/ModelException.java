package io.personalize.models;

import java.util.List;

/**
 * A model, card or registry refused: the message names every problem found, e.g. {@code model
 * purchase_propensity 3: input 'features' not in the model (it has: float_input)}.
 */
public class ModelException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ModelException(String subject, List<String> problems) {
        super(subject + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public ModelException(String subject, String problem, Throwable cause) {
        super(subject + ": " + problem, cause);
        this.problems = List.of(problem);
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
