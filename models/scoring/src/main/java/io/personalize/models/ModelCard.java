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
 * @param defaults the value used for a missing (unknown) value, by column ({@code
 *     category_affinity[books]}) or feature name: a number, a string or a boolean, fitting the
 *     input's element type; {@code .nan} passes it to a float or double input as missing
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
        Map<String, ?> defaults,
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
            Map<String, ?> defaults,
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
        defaults = values(defaults);
        training = training == null ? Map.of() : new LinkedHashMap<>(training);
        golden = golden == null ? List.of() : List.copyOf(golden);
    }

    /**
     * Typed values as the card keeps them: numbers as doubles (so {@code 2} and {@code 2.0} are one
     * value; whole numbers are exact up to 2^53), strings, booleans, and maps of them (a map
     * feature's value).
     */
    static Map<String, Object> values(Map<String, ?> values) {
        if (values == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((key, value) -> out.put(key, value(value)));
        return out;
    }

    private static Object value(Object value) {
        if (value instanceof Number n && !(value instanceof Double)) {
            return n.doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), value(v)));
            return out;
        }
        return value;
    }

    /** The feature names the model reads, each once, in the order of its first column. */
    public List<String> features() {
        return inputs == null ? List.of() : inputs.featureNames();
    }

    /**
     * The model's inputs as the job feeds them: the named inputs, or the legacy forms turned into
     * them (one float input {@code tensor}, or one {@code [N, 1]} float input per feature).
     */
    public List<Input> modelInputs() {
        return inputs == null ? List.of() : inputs.modelInputs();
    }

    /**
     * The card's default for a column: by its column name ({@code category_affinity[books]}), else
     * by its feature's name; null when the card gives none.
     */
    public Object defaultFor(Column column) {
        Object byColumn = defaults.get(column.name());
        return byColumn != null ? byColumn : defaults.get(column.feature());
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
     * How feature values are fed. Either the model's inputs by name ({@link #named}, a YAML list:
     * each input's element type and its columns in order), or one of the two legacy forms: one
     * float tensor {@code [N, features]} named {@code tensor}, or ({@code perFeature}) one {@code
     * [N, 1]} float tensor per feature, named after the feature.
     */
    public record Inputs(
            String tensor, Boolean perFeature, List<String> features, List<Input> named) {
        @com.fasterxml.jackson.annotation.JsonCreator(
                mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.PROPERTIES)
        public Inputs(
                @JsonProperty("tensor") String tensor,
                @JsonProperty("per_feature") Boolean perFeature,
                @JsonProperty("features") List<String> features) {
            this(tensor, perFeature, features, null);
        }

        public Inputs {
            features = features == null ? List.of() : List.copyOf(features);
            named = named == null ? null : List.copyOf(named);
        }

        /** {@code inputs:} as a list: the model's inputs by name. */
        @com.fasterxml.jackson.annotation.JsonCreator(
                mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        public static Inputs of(List<Input> named) {
            return new Inputs(null, null, null, named == null ? List.of() : named);
        }

        public boolean oneTensorPerFeature() {
            return named == null && Boolean.TRUE.equals(perFeature);
        }

        /** Whether the card names the model's inputs (the list form). */
        public boolean byName() {
            return named != null;
        }

        /** The inputs as the job feeds them (the legacy forms as float inputs). */
        public List<Input> modelInputs() {
            if (named != null) {
                return named;
            }
            List<Column> columns = features.stream().map(f -> new Column(f, null)).toList();
            if (oneTensorPerFeature()) {
                return columns.stream()
                        .map(c -> new Input(c.feature(), ElementType.FLOAT, List.of(c)))
                        .toList();
            }
            return List.of(new Input(tensor, ElementType.FLOAT, columns));
        }

        /** The feature names read, each once, in the order of their first column. */
        public List<String> featureNames() {
            if (named == null) {
                return features;
            }
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            for (Input input : named) {
                for (Column column : input.columns()) {
                    names.add(column.feature());
                }
            }
            return List.copyOf(names);
        }

        /** Written back in the form it was read in. */
        @JsonValue
        Object yaml() {
            if (named != null) {
                return named;
            }
            Map<String, Object> legacy = new LinkedHashMap<>();
            if (tensor != null) {
                legacy.put("tensor", tensor);
            }
            if (perFeature != null) {
                legacy.put("per_feature", perFeature);
            }
            legacy.put("features", features);
            return legacy;
        }
    }

    /** The element types a model input may have. */
    public enum ElementType {
        FLOAT,
        DOUBLE,
        INT64,
        BOOL,
        STRING;

        @JsonValue
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether NaN can stand for a missing value. */
        public boolean floating() {
            return this == FLOAT || this == DOUBLE;
        }
    }

    /**
     * One model input: its name in the model, its element type and its columns in order (a {@code
     * [N, columns]} tensor, or {@code [N]} when the model declares rank 1 and there is one column).
     * In YAML each column is a feature name, {@code feature[key]} for one key of a map feature, or
     * {@code {feature: category_affinity, keys: [books, toys]}} for one column per key.
     */
    public record Input(String name, ElementType type, List<Column> columns) {
        public Input {
            columns = columns == null ? List.of() : List.copyOf(columns);
        }

        @com.fasterxml.jackson.annotation.JsonCreator(
                mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.PROPERTIES)
        static Input fromYaml(
                @JsonProperty("name") String name,
                @JsonProperty("type") ElementType type,
                @JsonProperty("columns") List<Object> columns) {
            List<Column> expanded = new java.util.ArrayList<>();
            if (columns != null) {
                for (Object item : columns) {
                    expanded.addAll(Column.expand(item, name));
                }
            }
            return new Input(name, type, expanded);
        }
    }

    /** One column of an input: a feature, or one key of a map feature. */
    public record Column(String feature, String key) {
        /**
         * {@code feature} or {@code feature[key]}: how the column is named in cards and messages.
         */
        @JsonValue
        public String name() {
            return key == null ? feature : feature + "[" + key + "]";
        }

        /** {@code orders_30d} or {@code category_affinity[books]}. */
        public static Column parse(String text) {
            String t = text.trim();
            int open = t.indexOf('[');
            if (open > 0 && t.endsWith("]")) {
                return new Column(
                        t.substring(0, open).trim(), t.substring(open + 1, t.length() - 1));
            }
            return new Column(t, null);
        }

        static List<Column> expand(Object item, String input) {
            if (item instanceof String text) {
                return List.of(parse(text));
            }
            if (item instanceof Map<?, ?> map
                    && map.get("feature") instanceof String feature
                    && map.get("keys") instanceof List<?> keys
                    && map.size() == 2) {
                return keys.stream().map(k -> new Column(feature, String.valueOf(k))).toList();
            }
            throw new IllegalArgumentException(
                    "input '"
                            + input
                            + "': column "
                            + item
                            + " is neither a feature name, feature[key], nor {feature: name,"
                            + " keys: [...]}");
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
     * optionally the expected label. A value is a number, string or boolean; a map feature's value
     * is a map, or a column is set by its name ({@code category_affinity[books]: 0.4}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Golden(
            Map<String, ?> features, @JsonProperty(required = true) double score, String label) {
        public Golden {
            features = values(features);
        }
    }
}
