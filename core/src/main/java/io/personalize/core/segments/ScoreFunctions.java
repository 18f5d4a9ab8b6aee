package io.personalize.core.segments;

import dev.cel.runtime.CelEvaluationException;
import io.personalize.core.scoring.CustomerScore;
import java.util.Map;

/**
 * What {@code score('m')}, {@code score_label('m')} and {@code score_of('m', 'label')} return in
 * segment and flow rules, from the champion scores by model name. A model that is not serving
 * (missing, refused, scoring off), a label or a class the score does not have makes the rule
 * unknown: the evaluation error says which.
 */
public final class ScoreFunctions {
    private ScoreFunctions() {}

    public static double score(Map<String, CustomerScore> scores, String model)
            throws CelEvaluationException {
        return champion(scores, model).score;
    }

    public static String label(Map<String, CustomerScore> scores, String model)
            throws CelEvaluationException {
        String label = champion(scores, model).label;
        if (label == null) {
            throw new CelEvaluationException("no label in the score of '" + model + "'");
        }
        return label;
    }

    /** The probability of one class; unknown when the score has none (a fallback, a regression). */
    public static double probability(Map<String, CustomerScore> scores, String model, String label)
            throws CelEvaluationException {
        Map<String, Double> probabilities = champion(scores, model).probabilities;
        Double p = probabilities == null ? null : probabilities.get(label);
        if (p == null) {
            throw new CelEvaluationException(
                    "no probability of class '" + label + "' in the score of '" + model + "'");
        }
        return p;
    }

    private static CustomerScore champion(Map<String, CustomerScore> scores, String model)
            throws CelEvaluationException {
        CustomerScore score = scores == null ? null : scores.get(model);
        if (score == null) {
            throw new CelEvaluationException("no score of '" + model + "'");
        }
        return score;
    }
}
