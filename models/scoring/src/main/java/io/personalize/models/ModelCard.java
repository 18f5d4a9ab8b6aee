package io.personalize.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The contract between a data scientist's {@code .onnx} file and the job: what the model is, which
 * features it reads in which order, which output holds the score and how to read it, the values
 * that stand in for missing features, how it was trained, and golden examples the job scores at
 * load time to prove the model behaves as the card says. Read from YAML next to the model ({@code
 * model.onnx} + {@code model.yaml}); see {@link ModelCards} for the format and its checks.
 *
 * @param name the model's name in the registry, e.g. {@code purchase_propensity}
 * @param version the version recorded with every score
 * @param task what the model does, which decides how its output is read
 * @param inputs how feature values become input tensors
 * @param output which output holds the score and how to read it
 * @param labels class labels by position in the probabilities (classification); for a probability
 *     map, the keys; the score of a binary model is the probability of the last
 * @param threshold binary classification: the label is the last one when its probability is at
 *     least this (default 0.5)
 * @param defaults the value used for a feature that is missing (unknown), by feature name; {@code
 *     .nan} passes it to the model as missing
 * @param training free-form metadata: data, rows, seed, hyperparameters, metrics
 * @param golden feature values and the score (and label) the model must produce for them
 * @param tolerance the largest difference between a golden score and the model's (default 1e-5)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
        String name,
        String version,
        Task task,
        String description,
        Inputs inputs,
        Output output,
        List<String> labels,
        Double threshold,
        Map<String, Double> defaults,
        Map<String, Object> training,
        List<Golden> golden,
        Double tolerance) {

    public ModelCard {
        labels = labels == null ? List.of() : List.copyOf(labels);
        defaults = defaults == null ? Map.of() : new LinkedHashMap<>(defaults);
        training = training == null ? Map.of() : new LinkedHashMap<>(training);
        golden = golden == null ? List.of() : List.copyOf(golden);
    }

    /** The feature names, in the order the model reads them. */
    public List<String> features() {
        return inputs == null ? List.of() : inputs.features();
    }

    public double thresholdOrDefault() {
        return threshold == null ? 0.5 : threshold;
    }

    public double toleranceOrDefault() {
        return tolerance == null ? 1e-5 : tolerance;
    }

    /** "name version", for messages. */
    public String id() {
        return name + " " + version;
    }

    /** What the model does. */
    public enum Task {
        BINARY_CLASSIFICATION,
        MULTICLASS_CLASSIFICATION,
        REGRESSION,
        CLUSTERING;

        @JsonValue
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean classification() {
            return this == BINARY_CLASSIFICATION || this == MULTICLASS_CLASSIFICATION;
        }
    }

    /**
     * How feature values are fed: one float tensor {@code [N, features]} named {@code tensor}, or
     * ({@code perFeature}) one {@code [N, 1]} float tensor per feature, named after the feature.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Inputs(
            String tensor, @JsonProperty("per_feature") Boolean perFeature, List<String> features) {
        public Inputs {
            features = features == null ? List.of() : List.copyOf(features);
        }

        public boolean oneTensorPerFeature() {
            return Boolean.TRUE.equals(perFeature);
        }
    }

    /**
     * The output that holds the score: its name (exporters differ: {@code probabilities}, {@code
     * output_probability}, {@code variable}, ...) and how to read it.
     */
    public record Output(String name, OutputKind kind) {}

    /** How an output is read. */
    public enum OutputKind {
        /** Float tensor {@code [N, classes]}, columns in the order of the card's labels. */
        PROBABILITIES,
        /** Sequence of maps label -> probability, one per row (ZipMap). */
        PROBABILITY_MAP,
        /** Float tensor {@code [N]} or {@code [N, 1]}: the score itself (regression). */
        VALUE,
        /** Integer tensor {@code [N]}: a class or cluster id, the score is the id. */
        LABEL;

        @JsonValue
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A golden example: feature values (missing ones take the defaults) and the expected score, and
     * optionally the expected label.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Golden(
            Map<String, Double> features,
            @JsonProperty(required = true) double score,
            String label) {
        public Golden {
            features = features == null ? Map.of() : new LinkedHashMap<>(features);
        }
    }
}
