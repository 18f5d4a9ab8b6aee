package io.personalize.models;

/**
 * What a model said for one row: the score (the positive class's probability, the regression value,
 * the cluster id) and, for classifiers and clusterings, the label.
 */
public record Prediction(double score, String label) {}
