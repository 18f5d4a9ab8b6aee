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
 * @param tolerance how far a golden score may be from the model's: absolute plus relative to the
 *     golden score (default absolute 1e-5); a number is the absolute part
 * @param goldenThreads the ONNX Runtime intra-op threads the golden scores were computed with
 *     (default: those the job scores with, {@code personalize.models.intra-op-threads}); tree
 *     ensembles sum in another order with more threads, so a score may differ in its last bits
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
        Tolerance tolerance,
        @JsonProperty("golden_threads") Integer goldenThreads) {

    /** A card whose golden scores were computed with the job's thread count. */
    public ModelCard(
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
            Tolerance tolerance) {
        this(
                name,
                version,
                task,
                description,
                inputs,
                output,
                labels,
                threshold,
                defaults,
                training,
                golden,
                tolerance,
                null);
    }

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

    public Tolerance toleranceOrDefault() {
        return tolerance == null ? Tolerance.DEFAULT : tolerance;
    }

    /**
     * How far a golden score may be from the model's: {@code |model - golden| <= absolute +
     * relative * |golden|}. In YAML a number ({@code tolerance: 1.0e-6}, absolute) or {@code
     * {absolute, relative}}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tolerance(Double absolute, Double relative) {
        public static final Tolerance DEFAULT = new Tolerance(1e-5, null);

        @com.fasterxml.jackson.annotation.JsonCreator(
                mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.PROPERTIES)
        public Tolerance(
                @JsonProperty("absolute") Double absolute,
                @JsonProperty("relative") Double relative) {
            this.absolute = absolute;
            this.relative = relative;
        }

        /** {@code tolerance: 1.0e-6}: an absolute tolerance. */
        @com.fasterxml.jackson.annotation.JsonCreator(
                mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        public static Tolerance absolute(double absolute) {
            return new Tolerance(absolute, null);
        }

        public double absoluteOrZero() {
            return absolute == null ? 0 : absolute;
        }

        public double relativeOrZero() {
            return relative == null ? 0 : relative;
        }

        /** Whether {@code actual} is close enough to {@code expected}. */
        public boolean allows(double expected, double actual) {
            return Math.abs(actual - expected)
                    <= absoluteOrZero() + relativeOrZero() * Math.abs(expected);
        }

        @Override
        public String toString() {
            return "absolute " + absoluteOrZero() + ", relative " + relativeOrZero();
        }
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
