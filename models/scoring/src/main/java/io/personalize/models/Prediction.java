package io.personalize.models;

import java.util.Map;

/**
 * What a model said for one row: the score (the positive class's probability, the top class's, the
 * regression value, the cluster id), for classifiers and clusterings the label, and for classifiers
 * the probability of every class by label, in the card's label order (null otherwise).
 */
public record Prediction(double score, String label, Map<String, Double> probabilities) {
    public Prediction(double score, String label) {
        this(score, label, null);
    }
}
