package io.personalize.models;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.FeatureType;
import io.personalize.models.ModelCard.OutputKind;
import io.personalize.models.ModelCard.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads, writes and checks model cards. A card is YAML:
 *
 * <pre>
 * name: purchase_propensity
 * version: "1"
 * task: binary_classification        # multiclass_classification, regression, clustering
 * inputs:
 *   tensor: features                 # one float tensor [N, 3]; or per_feature: true
 *   features: [orders_30d, revenue_90d, days_since_last_purchase]
 * output:
 *   name: probabilities              # the output that holds the score
 *   kind: probabilities              # probability_map (ZipMap), value, label
 * labels: ["0", "1"]                 # by position; the score is P(last label)
 * defaults:
 *   days_since_last_purchase: .nan   # passed to the model as missing
 * training: {rows: 12000, seed: 7, metrics: {roc_auc: 0.81}}
 * golden:
 *   - features: {orders_30d: 2, revenue_90d: 120.5, days_since_last_purchase: 3}
 *     score: 0.7312
 *     label: "1"
 * tolerance: 1.0e-5                  # or {absolute: 1.0e-6, relative: 1.0e-4}
 * golden_threads: 1                  # ONNX Runtime intra-op threads the golden scores came from
 * </pre>
 *
 * The checks here need no model: feature names exist in the {@link FeatureRegistry} and are
 * numeric, every feature that can be missing has a default, labels fit the task. {@link OnnxModel}
 * checks the card against the model itself.
 */
public final class ModelCards {
    /** The card's file name next to a model: {@code model.onnx} -> {@code model.yaml}. */
    public static final String CARD_SUFFIX = ".yaml";

    private static final ObjectMapper YAML =
            new ObjectMapper(
                            new YAMLFactory()
                                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
                    .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                    .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                    .configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, false)
                    .configure(SerializationFeature.INDENT_OUTPUT, true)
                    .registerModule(YamlFloats.module());

    private ModelCards() {}

    /** The card path for a model path: same folder, same base name, {@code .yaml}. */
    public static Path cardFor(Path model) {
        String file = model.getFileName().toString();
        String base = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        return model.resolveSibling(base + CARD_SUFFIX);
    }

    /**
     * Parses and checks a card.
     *
     * @throws ModelException naming every problem found
     */
    public static ModelCard parse(String yaml, String source) throws ModelException {
        return parse(yaml, source, FeatureRegistry.standard());
    }

    /**
     * Parses and checks a card against a registry (e.g. with a deployment's declared features,
     * which cards may then name).
     */
    public static ModelCard parse(String yaml, String source, FeatureRegistry registry)
            throws ModelException {
        ModelCard card;
        try {
            card = YAML.readValue(yaml, ModelCard.class);
        } catch (com.fasterxml.jackson.databind.exc.InvalidFormatException e) {
            if (e.getTargetType() != null && e.getTargetType().isEnum()) {
                throw new ModelException("card " + source, enumMistake(e), e);
            }
            throw new ModelException("card " + source, "not a model card: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelException("card " + source, "not a model card: " + e.getMessage(), e);
        }
        if (card == null) {
            throw new ModelException("card " + source, List.of("empty file"));
        }
        check(card, registry, source);
        return card;
    }

    /**
     * {@code output.kind: 'tensor' is not one of probabilities, probability_map, value, label}: the
     * field's path and the allowed values, instead of Jackson's text.
     */
    private static String enumMistake(com.fasterxml.jackson.databind.exc.InvalidFormatException e) {
        List<String> path = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : e.getPath()) {
            path.add(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]");
        }
        List<String> allowed = new ArrayList<>();
        for (Object constant : e.getTargetType().getEnumConstants()) {
            allowed.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
        }
        return String.join(".", path)
                + ": '"
                + e.getValue()
                + "' is not one of "
                + String.join(", ", allowed);
    }

    public static ModelCard read(Path path) throws ModelException {
        if (!Files.exists(path)) {
            throw new ModelException(
                    "card " + path,
                    List.of(
                            "missing: a model needs its card next to it (model.onnx ->"
                                    + " model.yaml)"));
        }
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        } catch (IOException e) {
            throw new ModelException("card " + path, "cannot read: " + e, e);
        }
    }

    public static String toYaml(ModelCard card) {
        try {
            return YAML.writeValueAsString(card);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(ModelCard card, Path path) throws IOException {
        Files.writeString(path, toYaml(card), StandardCharsets.UTF_8);
    }

    /** Checks what can be checked without the model. */
    static void check(ModelCard card, FeatureRegistry registry, String source)
            throws ModelException {
        List<String> problems = new ArrayList<>();
        require(card.name(), "name", problems);
        require(card.version(), "version", problems);
        if (card.task() == null) {
            problems.add(
                    "task missing (binary_classification, multiclass_classification,"
                            + " regression or clustering)");
        }
        if (card.inputs() == null || card.inputs().features().isEmpty()) {
            problems.add(
                    "inputs.features missing: list the features in the order the model"
                            + " reads them");
        } else {
            checkInputs(card, registry, problems);
        }
        if (card.output() == null || card.output().name() == null || card.output().kind() == null) {
            problems.add("output.name and output.kind missing");
        } else if (card.task() != null) {
            checkOutput(card, problems);
        }
        for (String feature : card.defaults().keySet()) {
            if (!card.features().contains(feature)) {
                problems.add("default for '" + feature + "', which is not an input");
            }
        }
        if (card.golden().isEmpty()) {
            problems.add("golden examples missing: give at least one (features -> score)");
        }
        for (int i = 0; i < card.golden().size(); i++) {
            for (String feature : card.golden().get(i).features().keySet()) {
                if (!card.features().contains(feature)) {
                    problems.add(
                            "golden example "
                                    + (i + 1)
                                    + " sets '"
                                    + feature
                                    + "', which is not an input");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ModelException(subject(card, source), problems);
        }
    }

    private static void checkInputs(
            ModelCard card, FeatureRegistry registry, List<String> problems) {
        ModelCard.Inputs inputs = card.inputs();
        if (!inputs.oneTensorPerFeature()
                && (inputs.tensor() == null || inputs.tensor().isBlank())) {
            problems.add(
                    "inputs.tensor missing: name the model's float input, or set"
                            + " per_feature: true");
        }
        Set<String> seen = new HashSet<>();
        for (String feature : inputs.features()) {
            if (!seen.add(feature)) {
                problems.add("feature '" + feature + "' listed twice");
                continue;
            }
            Optional<FeatureDefinition> definition = registry.get(feature);
            if (definition.isEmpty()) {
                problems.add("unknown feature '" + feature + "' (not in the feature registry)");
                continue;
            }
            FeatureType type = definition.get().type();
            if (type != FeatureType.LONG && type != FeatureType.DOUBLE) {
                problems.add(
                        "feature '"
                                + feature
                                + "' is "
                                + type.name().toLowerCase()
                                + ", a model reads only long and double features");
                continue;
            }
            if (definition.get().defaultValue() == null && !card.defaults().containsKey(feature)) {
                problems.add(
                        "feature '"
                                + feature
                                + "' can be missing and has no default (give"
                                + " one under defaults, or .nan to pass it as missing)");
            }
        }
    }

    private static void checkOutput(ModelCard card, List<String> problems) {
        Task task = card.task();
        OutputKind kind = card.output().kind();
        boolean fits =
                switch (task) {
                    case BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION ->
                            kind == OutputKind.PROBABILITIES || kind == OutputKind.PROBABILITY_MAP;
                    case REGRESSION -> kind == OutputKind.VALUE;
                    case CLUSTERING -> kind == OutputKind.LABEL;
                };
        if (!fits) {
            problems.add(
                    "output kind " + kind.yamlName() + " does not fit task " + task.yamlName());
        }
        if (task == Task.BINARY_CLASSIFICATION && card.labels().size() != 2) {
            problems.add(
                    "binary classification needs two labels, the positive one last (has "
                            + card.labels().size()
                            + ")");
        }
        if (task == Task.MULTICLASS_CLASSIFICATION && card.labels().size() < 2) {
            problems.add("multiclass classification needs its labels, by position");
        }
        if (!task.classification() && task != Task.CLUSTERING && !card.labels().isEmpty()) {
            problems.add("labels given for a " + task.yamlName() + " model");
        }
        if (card.threshold() != null && (card.threshold() < 0 || card.threshold() > 1)) {
            problems.add("threshold " + card.threshold() + " outside 0..1");
        }
        if (card.tolerance() != null
                && (!(card.tolerance().absoluteOrZero() >= 0)
                        || !(card.tolerance().relativeOrZero() >= 0))) {
            problems.add("tolerance: absolute and relative must be 0 or more");
        }
        if (card.goldenThreads() != null && card.goldenThreads() < 1) {
            problems.add("golden_threads must be 1 or more");
        }
    }

    private static void require(String value, String field, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(field + " missing");
        }
    }

    static String subject(ModelCard card, String source) {
        String id = card.name() == null ? source : "model " + card.id();
        return id;
    }

    /**
     * YAML's non-finite floats ({@code .nan}, {@code .inf}, {@code -.inf}, any case) both ways.
     * Jackson 2's YAML parser reports them as float tokens whose value it cannot parse ("Malformed
     * numeric value '.nan'"), and it writes NaN as a plain {@code NaN}, which other YAML readers
     * take for a string.
     */
    private static final class YamlFloats {
        private YamlFloats() {}

        static SimpleModule module() {
            SimpleModule module = new SimpleModule("yaml-non-finite-floats");
            module.addDeserializer(Double.class, new DoubleValue(Double.class, null));
            module.addDeserializer(double.class, new DoubleValue(Double.TYPE, 0.0));
            // numbers in free-form maps (training metrics)
            @SuppressWarnings("unchecked")
            Class<Object> number = (Class<Object>) (Class<?>) Number.class;
            module.addDeserializer(number, new NumberValue());
            module.addSerializer(Double.class, new NonFiniteWriter());
            module.addSerializer(double.class, new NonFiniteWriter());
            return module;
        }

        /** The value of a YAML non-finite float token, or null for any other token. */
        static Double nonFinite(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_FLOAT) {
                return null;
            }
            String text = p.getText().trim().toLowerCase(Locale.ROOT);
            return switch (text) {
                case ".nan" -> Double.NaN;
                case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
                case "-.inf" -> Double.NEGATIVE_INFINITY;
                default -> null;
            };
        }

        private static final class DoubleValue extends NumberDeserializers.DoubleDeserializer {
            private static final long serialVersionUID = 1L;

            DoubleValue(Class<Double> type, Double nullValue) {
                super(type, nullValue);
            }

            @Override
            public Double deserialize(JsonParser p, DeserializationContext ctxt)
                    throws IOException {
                Double special = nonFinite(p);
                return special != null ? special : super.deserialize(p, ctxt);
            }
        }

        private static final class NumberValue extends NumberDeserializers.NumberDeserializer {
            private static final long serialVersionUID = 1L;

            @Override
            public Object deserialize(JsonParser p, DeserializationContext ctxt)
                    throws IOException {
                Double special = nonFinite(p);
                return special != null ? special : super.deserialize(p, ctxt);
            }
        }

        private static final class NonFiniteWriter extends StdSerializer<Double> {
            private static final long serialVersionUID = 1L;

            NonFiniteWriter() {
                super(Double.class);
            }

            @Override
            public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
                    throws IOException {
                if (value.isNaN()) {
                    gen.writeNumber(".nan");
                } else if (value.isInfinite()) {
                    gen.writeNumber(value > 0 ? ".inf" : "-.inf");
                } else {
                    gen.writeNumber(value);
                }
            }
        }
    }
}
