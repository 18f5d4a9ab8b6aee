package io.personalize.models;

import static io.personalize.models.testing.OnnxGraph.BOOL;
import static io.personalize.models.testing.OnnxGraph.DOUBLE;
import static io.personalize.models.testing.OnnxGraph.FLOAT;
import static io.personalize.models.testing.OnnxGraph.INT64;
import static io.personalize.models.testing.OnnxGraph.intAttr;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.models.testing.OnnxGraph;
import io.personalize.models.testing.TestModels;
import io.personalize.models.testing.TestModels.TestModel;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Models whose inputs are not one float tensor, each scored by the job ({@link OnnxModel}, rows
 * from {@link FeatureVectorizer}) and by ONNX Runtime called directly on the same values, in a
 * session with the job's options: the scores must be identical, bit for bit. The direct tensors are
 * built here from the feature values by the test's own column lists, not by the vectorizer.
 */
class ModelInputShapesTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    // ---- a string category through a LabelEncoder ----

    @Test
    void stringCategoryThroughTheModelsLabelEncoderScoresAsOnnxRuntimeOnTheSameStrings()
            throws Exception {
        String[] tiers = {"gold", "silver", "bronze", "platinum", null};
        List<CustomerFeatures> customers = new ArrayList<>();
        for (String tier : tiers) {
            customers.add(customer(f -> f.loyaltyTier = tier));
        }
        TestModel tier = TestModels.tierValue();
        byte[] onnx = tier.onnx();
        try (OnnxModel model = OnnxModel.load(onnx, tier.card(), 1)) {
            List<FeatureVectorizer.Row> rows = rows(model, customers);
            List<Prediction> scores = model.scoreRows(rows);

            // a missing tier takes the card's default, which the encoder maps to 0
            String[] fed = {"gold", "silver", "bronze", "platinum", "none"};
            float[] direct =
                    direct(
                            onnx,
                            "variable",
                            Map.of(
                                    "tier",
                                    OnnxTensor.createTensor(ENV, fed, new long[] {fed.length, 1})));
            double[] byHand = {2.5, 2, 1.5, 1, 1};
            for (int i = 0; i < tiers.length; i++) {
                assertThat(scores.get(i).score())
                        .isEqualTo((double) direct[i])
                        .isEqualTo(byHand[i]);
            }
            assertThat(rows.get(4).imputed()).containsExactly("loyalty_tier");
            assertThat(rows.get(0).imputed()).isEmpty();
        }
    }

    // ---- int64 and bool inputs ----

    private static final String COUNTS_CARD =
            """
            name: counts_consent
            version: "1"
            task: regression
            inputs:
              - name: counts
                type: int64
                columns: [orders_30d, lifetime_orders]
              - name: consent
                type: bool
                columns: [email_consent]
            output: {name: variable, kind: value}
            defaults: {email_consent: false}
            golden:
              - features: {orders_30d: 2, lifetime_orders: 10, email_consent: "true"}
                score: 2.1
            tolerance: 1.0e-6
            """;

    /** {@code Cast(counts int64 [N, 2]), Cast(consent bool [N, 1]) -> [.5, .01, 2] . x - 1}. */
    static byte[] countsModel() {
        OnnxGraph g = new OnnxGraph("counts_consent");
        g.input("counts", INT64, -1, 2);
        g.input("consent", BOOL, -1, 1);
        g.initializer("w", new float[] {0.5f, 0.01f, 2f}, 3, 1);
        g.initializer("b", new float[] {-1f}, 1);
        g.node("Cast", List.of("counts"), List.of("cf"), intAttr("to", FLOAT));
        g.node("Cast", List.of("consent"), List.of("bf"), intAttr("to", FLOAT));
        g.node("Concat", List.of("cf", "bf"), List.of("x"), intAttr("axis", 1));
        g.node("MatMul", List.of("x", "w"), List.of("xw"));
        g.node("Add", List.of("xw", "b"), List.of("variable"));
        g.floatOutput("variable", -1, 1);
        return g.toBytes();
    }

    @Test
    void int64AndBoolInputsScoreAsOnnxRuntimeOnTheSameLongsAndBooleans() throws Exception {
        long[][] counts = {{2, 10}, {0, 0}, {7, (1L << 40) + 1}, {1, 3}};
        String[] consent = {"true", "false", "unknown", "TRUE"};
        boolean[] fed = {true, false, false, true}; // unknown: the card's default, false
        List<CustomerFeatures> customers = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            int row = i;
            customers.add(
                    customer(
                            f -> {
                                f.orders30d = counts[row][0];
                                f.lifetimeOrders = counts[row][1];
                                f.emailConsent = consent[row];
                            }));
        }
        byte[] onnx = countsModel();
        try (OnnxModel model = load(onnx, COUNTS_CARD)) {
            List<FeatureVectorizer.Row> rows = rows(model, customers);
            List<Prediction> scores = model.scoreRows(rows);

            LongBuffer longs = LongBuffer.allocate(counts.length * 2);
            ByteBuffer bools = ByteBuffer.allocateDirect(counts.length);
            for (int i = 0; i < counts.length; i++) {
                longs.put(counts[i]);
                bools.put((byte) (fed[i] ? 1 : 0));
            }
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(
                    "counts",
                    OnnxTensor.createTensor(ENV, longs.flip(), new long[] {counts.length, 2}));
            inputs.put(
                    "consent",
                    OnnxTensor.createTensor(
                            ENV,
                            bools.flip(),
                            new long[] {counts.length, 1},
                            ai.onnxruntime.OnnxJavaType.BOOL));
            float[] direct = direct(onnx, "variable", inputs);
            for (int i = 0; i < counts.length; i++) {
                assertThat(scores.get(i).score()).isEqualTo((double) direct[i]);
            }
            // the int64 column carries 2^40 + 1 exactly (a float column would round it to 2^40)
            assertThat(rows.get(2).longs()).containsExactly(7, (1L << 40) + 1);
            assertThat(rows.get(2).imputed()).containsExactly("email_consent");
            assertThat(scores.get(0).score())
                    .isCloseTo(2.1, org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    // ---- two named inputs, float and double ----

    private static final String TWO_INPUTS_CARD =
            """
            name: two_inputs
            version: "1"
            task: binary_classification
            inputs:
              - name: dense
                type: float
                columns: [revenue_90d, engagement_score]
              - name: extra
                type: double
                columns: [cart_value]
            output: {name: probabilities, kind: probabilities}
            labels: ["0", "1"]
            golden:
              - features: {revenue_90d: 0, engagement_score: 0, cart_value: 0}
                score: 0.2689414
            """;

    /** {@code sigmoid([0.01, 2, 0.05] . (dense, Cast(extra)) - 1)} as {@code [1 - p, p]}. */
    private static byte[] twoInputsModel() {
        OnnxGraph g = new OnnxGraph("two_inputs");
        g.input("dense", FLOAT, -1, 2);
        g.input("extra", DOUBLE, -1, 1);
        g.initializer("w", new float[] {0.01f, 2f, 0.05f}, 3, 1);
        g.initializer("b", new float[] {-1f}, 1);
        g.initializer("one", new float[] {1f}, 1);
        g.node("Cast", List.of("extra"), List.of("ef"), intAttr("to", FLOAT));
        g.node("Concat", List.of("dense", "ef"), List.of("x"), intAttr("axis", 1));
        g.node("MatMul", List.of("x", "w"), List.of("xw"));
        g.node("Add", List.of("xw", "b"), List.of("z"));
        g.node("Sigmoid", List.of("z"), List.of("p"));
        g.node("Sub", List.of("one", "p"), List.of("q"));
        g.node("Concat", List.of("q", "p"), List.of("probabilities"), intAttr("axis", 1));
        g.floatOutput("probabilities", -1, 2);
        return g.toBytes();
    }

    @Test
    void twoNamedInputsOfDifferentTypesScoreAsOnnxRuntimeAndKeepBothClassProbabilities()
            throws Exception {
        double[][] values = {{120.5, 0.3, 0.1 + 0.2}, {0, 0, 0}, {900, 0.9, 45.25}};
        List<CustomerFeatures> customers = new ArrayList<>();
        for (double[] v : values) {
            customers.add(
                    customer(
                            f -> {
                                f.revenue90d = v[0];
                                f.engagementScore = v[1];
                                f.cartValue = v[2];
                            }));
        }
        byte[] onnx = twoInputsModel();
        try (OnnxModel model = load(onnx, TWO_INPUTS_CARD)) {
            List<Prediction> scores = model.scoreRows(rows(model, customers));

            FloatBuffer dense = FloatBuffer.allocate(values.length * 2);
            DoubleBuffer extra = DoubleBuffer.allocate(values.length);
            for (double[] v : values) {
                dense.put((float) v[0]).put((float) v[1]);
                extra.put(v[2]);
            }
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(
                    "dense",
                    OnnxTensor.createTensor(ENV, dense.flip(), new long[] {values.length, 2}));
            inputs.put(
                    "extra",
                    OnnxTensor.createTensor(ENV, extra.flip(), new long[] {values.length, 1}));
            float[] direct = direct(onnx, "probabilities", inputs);
            for (int i = 0; i < values.length; i++) {
                Prediction p = scores.get(i);
                assertThat(p.score()).isEqualTo((double) direct[2 * i + 1]);
                assertThat(p.probabilities())
                        .containsExactly(
                                Map.entry("0", (double) direct[2 * i]),
                                Map.entry("1", (double) direct[2 * i + 1]));
            }
        }
    }

    // ---- 1,000 columns: features in several columns, keys of a map feature ----

    private static final List<String> WIDE_FEATURES =
            List.of(
                    "orders_7d",
                    "orders_30d",
                    "revenue_30d",
                    "revenue_90d",
                    "engagement_score",
                    "cart_value",
                    "product_views_7d",
                    "sessions_7d");
    private static final int WIDE = 1000;
    private static final int CATEGORIES = 40;

    /** Column i: category c{i} for the first 40, then the eight features over and over. */
    private static String wideColumn(int i) {
        return i < CATEGORIES
                ? "category_affinity[c" + i + "]"
                : WIDE_FEATURES.get((i - CATEGORIES) % WIDE_FEATURES.size());
    }

    private static String wideCard() {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < CATEGORIES; i++) {
            keys.append(i == 0 ? "" : ", ").append('c').append(i);
        }
        StringBuilder yaml =
                new StringBuilder(
                        """
                        name: wide
                        version: "1"
                        task: regression
                        inputs:
                          - name: wide
                            type: float
                            columns:
                        """);
        yaml.append("      - {feature: category_affinity, keys: [").append(keys).append("]}\n");
        for (int i = CATEGORIES; i < WIDE; i++) {
            yaml.append("      - ").append(wideColumn(i)).append('\n');
        }
        yaml.append(
                """
                output: {name: variable, kind: value}
                defaults: {category_affinity: 0}
                golden:
                  - features: {}
                    score: 0
                """);
        return yaml.toString();
    }

    private static float wideWeight(int i) {
        return ((i % 7) - 3) * 0.001f;
    }

    private static byte[] wideModel() {
        float[] w = new float[WIDE];
        for (int i = 0; i < WIDE; i++) {
            w[i] = wideWeight(i);
        }
        OnnxGraph g = new OnnxGraph("wide");
        g.input("wide", FLOAT, -1, WIDE);
        g.initializer("w", w, WIDE, 1);
        g.node("MatMul", List.of("wide", "w"), List.of("variable"));
        g.floatOutput("variable", -1, 1);
        return g.toBytes();
    }

    @Test
    void thousandColumnsWithRepeatedFeaturesAndMapKeysScoreAsOnnxRuntimeOnTheSameMatrix()
            throws Exception {
        List<Map<String, Object>> values = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Map<String, Object> v = new LinkedHashMap<>();
            for (int f = 0; f < WIDE_FEATURES.size(); f++) {
                v.put(WIDE_FEATURES.get(f), (double) (r + 1) * (f + 1) * 1.5);
            }
            // row 0 knows no category (each column takes the default 0), the others some
            Map<String, Double> affinity = new LinkedHashMap<>();
            for (int c = 0; c < r * 7; c += 3) {
                affinity.put("c" + c, 0.05 * (c + 1));
            }
            v.put("category_affinity", affinity);
            values.add(v);
        }
        byte[] onnx = wideModel();
        ModelCard card = ModelCards.parse(wideCard(), "wide.yaml");
        assertThat(card.modelInputs().get(0).columns()).hasSize(WIDE);
        assertThat(ModelCards.parse(ModelCards.toYaml(card), "again")).isEqualTo(card);
        try (OnnxModel model = OnnxModel.load(onnx, card, 1)) {
            List<FeatureVectorizer.Row> rows = new ArrayList<>();
            for (Map<String, Object> v : values) {
                rows.add(model.vectorizer().row(v));
            }
            List<Prediction> scores = model.scoreRows(rows);

            FloatBuffer matrix = FloatBuffer.allocate(values.size() * WIDE);
            for (Map<String, Object> v : values) {
                for (int i = 0; i < WIDE; i++) {
                    matrix.put((float) wideValue(v, i));
                }
            }
            float[] direct =
                    direct(
                            onnx,
                            "variable",
                            Map.of(
                                    "wide",
                                    OnnxTensor.createTensor(
                                            ENV, matrix.flip(), new long[] {values.size(), WIDE})));
            for (int r = 0; r < values.size(); r++) {
                assertThat(scores.get(r).score()).isEqualTo((double) direct[r]);
            }
            assertThat(rows.get(0).imputed()).hasSize(CATEGORIES);
            assertThat(direct[1]).isNotEqualTo(direct[0]);
        }
    }

    /** Column i's value, by the test's own reading of the column list. */
    private static double wideValue(Map<String, Object> v, int i) {
        if (i < CATEGORIES) {
            Double share =
                    ((Map<?, ?>) v.get("category_affinity")).get("c" + i) instanceof Double d
                            ? d
                            : null;
            return share == null ? 0 : share;
        }
        return (Double) v.get(wideColumn(i));
    }

    // ---- a fixed batch of 1 ----

    private static final String FIXED_BATCH_CARD =
            """
            name: propensity_fixed_batch
            version: "1"
            task: binary_classification
            inputs:
              - name: features
                type: float
                columns: [orders_30d, revenue_90d, days_since_last_purchase]
            output: {name: probabilities, kind: probabilities}
            labels: ["0", "1"]
            defaults: {days_since_last_purchase: 60}
            golden:
              - features: {orders_30d: 2, revenue_90d: 120.5, days_since_last_purchase: 3}
                score: 0.8395657
            tolerance: 1.0e-6
            """;

    @Test
    void inputWithAFixedBatchOfOneIsScoredOneRowPerRunAsOnnxRuntimeScoresEachRow()
            throws Exception {
        double[][] values = {{2, 120.5, 3}, {0, 10, 60}, {5, 300, 1}, {1, 0, 200}};
        byte[] onnx = TestModels.logistic(true).onnx();
        try (OnnxModel model = load(onnx, FIXED_BATCH_CARD)) {
            assertThat(model.fixedBatch()).isTrue();
            List<FeatureVectorizer.Row> rows = new ArrayList<>();
            for (double[] v : values) {
                rows.add(
                        model.vectorizer()
                                .row(
                                        Map.of(
                                                "orders_30d", v[0],
                                                "revenue_90d", v[1],
                                                "days_since_last_purchase", v[2])));
            }
            List<Prediction> scores = model.scoreRows(rows);
            for (int i = 0; i < values.length; i++) {
                FloatBuffer row = FloatBuffer.allocate(3);
                for (double x : values[i]) {
                    row.put((float) x);
                }
                float[] direct =
                        direct(
                                onnx,
                                "probabilities",
                                Map.of(
                                        "features",
                                        OnnxTensor.createTensor(
                                                ENV, row.flip(), new long[] {1, 3})));
                assertThat(scores.get(i).score()).isEqualTo((double) direct[1]);
            }
        }
    }

    // ---- a classifier with labels 1..5: every class kept ----

    @Test
    void classifierWithLabelsOneToFiveKeepsEveryClassProbabilityAsOnnxRuntimeGivesIt()
            throws Exception {
        float[][] values = {{3, 0.2f}, {1, 0.9f}, {12, 0.4f}, {6, 0.7f}};
        for (boolean zipMap : new boolean[] {false, true}) {
            TestModel m = TestModels.treeClassifier(zipMap);
            try (OnnxModel model = OnnxModel.load(m.onnx(), m.card(), 1)) {
                List<float[]> rows = new ArrayList<>();
                FloatBuffer x = FloatBuffer.allocate(values.length * 2);
                for (float[] v : values) {
                    rows.add(v);
                    x.put(v);
                }
                List<Prediction> scores = model.score(rows);
                List<Map<String, Double>> direct =
                        directClasses(
                                m.onnx(),
                                zipMap,
                                Map.of(
                                        "X",
                                        OnnxTensor.createTensor(
                                                ENV, x.flip(), new long[] {values.length, 2})));
                for (int i = 0; i < values.length; i++) {
                    Prediction p = scores.get(i);
                    assertThat(p.probabilities()).isEqualTo(direct.get(i));
                    assertThat(p.probabilities().keySet()).containsExactly("1", "2", "3", "4", "5");
                    assertThat(p.score())
                            .isEqualTo(p.probabilities().get(p.label()))
                            .isEqualTo(
                                    p.probabilities().values().stream()
                                            .mapToDouble(Double::doubleValue)
                                            .max()
                                            .orElseThrow());
                }
            }
        }
    }

    /** Each row's class probabilities by label, from the tensor or from ZipMap's maps. */
    private static List<Map<String, Double>> directClasses(
            byte[] onnx, boolean zipMap, Map<String, OnnxTensor> inputs) throws OrtException {
        List<Map<String, Double>> out = new ArrayList<>();
        try (OrtSession session = session(onnx)) {
            String output = zipMap ? "output_probability" : "probabilities";
            try (OrtSession.Result result = session.run(inputs, java.util.Set.of(output))) {
                OnnxValue value = result.get(output).orElseThrow();
                if (zipMap) {
                    for (OnnxValue map : ((OnnxSequence) value).getValue()) {
                        Map<String, Double> row = new LinkedHashMap<>();
                        new java.util.TreeMap<>(((OnnxMap) map).getValue())
                                .forEach(
                                        (k, v) ->
                                                row.put(
                                                        String.valueOf(k),
                                                        (double) ((Number) v).floatValue()));
                        out.add(row);
                        map.close();
                    }
                } else {
                    float[][] p = (float[][]) value.getValue();
                    for (float[] classes : p) {
                        Map<String, Double> row = new LinkedHashMap<>();
                        for (int c = 0; c < classes.length; c++) {
                            row.put(String.valueOf(c + 1), (double) classes[c]);
                        }
                        out.add(row);
                    }
                }
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
        return out;
    }

    // ---- helpers ----

    private static OnnxModel load(byte[] onnx, String card) throws ModelException {
        return OnnxModel.load(onnx, ModelCards.parse(card, "card.yaml"), 1);
    }

    private static CustomerFeatures customer(Consumer<CustomerFeatures> set) {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = "c1";
        set.accept(f);
        return f;
    }

    private static List<FeatureVectorizer.Row> rows(
            OnnxModel model, List<CustomerFeatures> customers) {
        List<FeatureVectorizer.Row> rows = new ArrayList<>();
        for (CustomerFeatures f : customers) {
            rows.add(model.vectorizer().row(f));
        }
        return rows;
    }

    /** A session with the job's options ({@code OnnxModel}'s: one thread, sequential, all opts). */
    private static OrtSession session(byte[] onnx) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return ENV.createSession(onnx, options);
        }
    }

    /** ONNX Runtime called directly: a float output, flattened. Closes the inputs. */
    private static float[] direct(byte[] onnx, String output, Map<String, OnnxTensor> inputs)
            throws OrtException {
        try (OrtSession session = session(onnx);
                OrtSession.Result result = session.run(inputs, java.util.Set.of(output))) {
            FloatBuffer values = ((OnnxTensor) result.get(output).orElseThrow()).getFloatBuffer();
            float[] out = new float[values.remaining()];
            values.get(out);
            return out;
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }
}
