package io.personalize.models.testing;

import static io.personalize.models.testing.OnnxGraph.INT64;
import static io.personalize.models.testing.OnnxGraph.floats;
import static io.personalize.models.testing.OnnxGraph.intAttr;
import static io.personalize.models.testing.OnnxGraph.ints;
import static io.personalize.models.testing.OnnxGraph.stringAttr;
import static io.personalize.models.testing.OnnxGraph.strings;

import io.personalize.models.ModelCard;
import io.personalize.models.ModelCard.Golden;
import io.personalize.models.ModelCard.Inputs;
import io.personalize.models.ModelCard.Output;
import io.personalize.models.ModelCard.OutputKind;
import io.personalize.models.ModelCard.Task;
import io.personalize.models.ModelCards;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small ONNX models in the shapes real exporters produce, each with a card whose golden examples
 * are computed by hand here (plain Java arithmetic on the same weights, or the tree leaf a row
 * lands in), never by ONNX Runtime. Reusable by other modules through the test-jar.
 *
 * <ul>
 *   <li>{@link #logistic} standard operators, probabilities as a float tensor {@code [N, 2]}
 *   <li>{@link #linearClassifierZipMap} {@code ai.onnx.ml} LinearClassifier + ZipMap, as skl2onnx
 *       exports a logistic regression ({@code output_probability}, seq(map(int64, float)))
 *   <li>{@link #scalerTreeRegressor} Scaler + TreeEnsembleRegressor ({@code variable} {@code [N,
 *       1]}) with missing-value tracking on {@code days_since_last_purchase}
 *   <li>{@link #treeClassifier} multiclass TreeEnsembleClassifier, labels 1..5, as a tensor or via
 *       ZipMap
 *   <li>{@link #logistic(boolean) logistic(true)} the same logistic regression with its batch
 *       dimension fixed at 1
 *   <li>{@link #perFeature} one {@code [N, 1]} input per feature
 *   <li>{@link #clustering} nearest of three centroids, an int64 label
 *   <li>{@link #tierValue()} a named string input through the model's own LabelEncoder
 * </ul>
 */
public final class TestModels {
    private TestModels() {}

    /** A model and its card. */
    public record TestModel(byte[] onnx, ModelCard card) {
        /** Writes {@code <dir>/<file>.onnx} and its card {@code <file>.yaml}; returns the model. */
        public Path write(Path dir, String file) {
            Path model = dir.resolve(file + ".onnx");
            try {
                Files.write(model, onnx);
                ModelCards.write(card, ModelCards.cardFor(model));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return model;
        }

        /** The same model with another card. */
        public TestModel withCard(ModelCard other) {
            return new TestModel(onnx, other);
        }
    }

    // ---- logistic regression: p = sigmoid(0.8 orders_30d + 0.01 revenue_90d - 0.05 days - 1) ----

    public static final List<String> LOGISTIC_FEATURES =
            List.of("orders_30d", "revenue_90d", "days_since_last_purchase");
    static final float[] LOGISTIC_W = {0.8f, 0.01f, -0.05f};
    static final float LOGISTIC_B = -1f;

    /** The default the logistic cards give {@code days_since_last_purchase}. */
    public static final double LOGISTIC_DAYS_DEFAULT = 60;

    /** The logistic regression's P(1), by hand. */
    public static double logisticScore(double orders30d, double revenue90d, double days) {
        return sigmoid(0.8 * orders30d + 0.01 * revenue90d - 0.05 * days - 1);
    }

    public static TestModel logistic() {
        return logistic(false);
    }

    /**
     * Standard operators: MatMul, Add, Sigmoid, then {@code [1 - p, p]} concatenated into {@code
     * probabilities [N, 2]}; input {@code features [N, 3]}, or {@code [1, 3]} when {@code
     * fixedBatch}.
     */
    public static TestModel logistic(boolean fixedBatch) {
        long n = fixedBatch ? 1 : -1;
        OnnxGraph g = new OnnxGraph("logistic");
        g.floatInput("features", n, 3);
        g.initializer("w", LOGISTIC_W, 3, 1);
        g.initializer("b", new float[] {LOGISTIC_B}, 1);
        g.initializer("one", new float[] {1f}, 1);
        g.node("MatMul", List.of("features", "w"), List.of("xw"));
        g.node("Add", List.of("xw", "b"), List.of("z"));
        g.node("Sigmoid", List.of("z"), List.of("p"));
        g.node("Sub", List.of("one", "p"), List.of("q"));
        g.node("Concat", List.of("q", "p"), List.of("probabilities"), intAttr("axis", 1));
        g.floatOutput("probabilities", n, 2);
        ModelCard card =
                new ModelCard(
                        fixedBatch ? "propensity_fixed_batch" : "propensity",
                        "1",
                        Task.BINARY_CLASSIFICATION,
                        "logistic regression, standard operators",
                        new Inputs("features", null, LOGISTIC_FEATURES),
                        new Output("probabilities", OutputKind.PROBABILITIES),
                        List.of("0", "1"),
                        null,
                        Map.of("days_since_last_purchase", LOGISTIC_DAYS_DEFAULT),
                        Map.of("rows", 1000, "seed", 7),
                        logisticGolden(),
                        null);
        return new TestModel(g.toBytes(), card);
    }

    /**
     * The same logistic regression as skl2onnx exports it: {@code LinearClassifier} (coefficients
     * {@code [-w, w]}, post_transform LOGISTIC) and {@code ZipMap} into {@code output_probability},
     * a seq(map(int64, float)); input {@code float_input}.
     */
    public static TestModel linearClassifierZipMap() {
        OnnxGraph g = new OnnxGraph("linear_classifier");
        g.floatInput("float_input", -1, 3);
        float[] coefficients = new float[6];
        for (int i = 0; i < 3; i++) {
            coefficients[i] = -LOGISTIC_W[i];
            coefficients[3 + i] = LOGISTIC_W[i];
        }
        g.mlNode(
                "LinearClassifier",
                List.of("float_input"),
                List.of("output_label", "probability_tensor"),
                ints("classlabels_ints", 0, 1),
                floats("coefficients", coefficients),
                floats("intercepts", -LOGISTIC_B, LOGISTIC_B),
                intAttr("multi_class", 0),
                stringAttr("post_transform", "LOGISTIC"));
        g.mlNode(
                "ZipMap",
                List.of("probability_tensor"),
                List.of("output_probability"),
                ints("classlabels_int64s", 0, 1));
        g.output("output_label", INT64, -1);
        g.mapSequenceOutput("output_probability", INT64);
        ModelCard card =
                new ModelCard(
                        "propensity_sklearn",
                        "1",
                        Task.BINARY_CLASSIFICATION,
                        "logistic regression, skl2onnx shape",
                        new Inputs("float_input", null, LOGISTIC_FEATURES),
                        new Output("output_probability", OutputKind.PROBABILITY_MAP),
                        List.of("0", "1"),
                        null,
                        Map.of("days_since_last_purchase", LOGISTIC_DAYS_DEFAULT),
                        null,
                        logisticGolden(),
                        null);
        return new TestModel(g.toBytes(), card);
    }

    private static List<Golden> logisticGolden() {
        return List.of(
                golden(
                        logisticScore(2, 120.5, 3),
                        "1",
                        "orders_30d",
                        2,
                        "revenue_90d",
                        120.5,
                        "days_since_last_purchase",
                        3),
                // days missing: the card's default (60) stands in
                golden(
                        logisticScore(0, 10, LOGISTIC_DAYS_DEFAULT),
                        "0",
                        "orders_30d",
                        0,
                        "revenue_90d",
                        10));
    }

    // ---- Scaler + TreeEnsembleRegressor ----

    public static final List<String> REGRESSOR_FEATURES =
            List.of("orders_30d", "revenue_90d", "engagement_score", "days_since_last_purchase");

    static final double REGRESSOR_BASE = 5;

    /**
     * The regressor's value, by hand: base 5, plus tree 0 (scaled revenue {@code (r - 100) * 0.01
     * <= 0.5}, i.e. revenue at most 150: days at most 14 or missing -> 10, else 2; above 150:
     * orders {@code (o - 1) <= 2}, i.e. at most 3, -> 40, else 90), plus tree 1 (engagement above
     * 0.5 -> 3, else 0).
     */
    public static double regressorValue(
            double orders30d, double revenue90d, double engagement, double days) {
        double tree0;
        if (revenue90d <= 150) {
            tree0 = Double.isNaN(days) || days <= 14 ? 10 : 2;
        } else {
            tree0 = orders30d <= 3 ? 40 : 90;
        }
        double tree1 = engagement <= 0.5 ? 0 : 3;
        return REGRESSOR_BASE + tree0 + tree1;
    }

    /**
     * {@code Scaler} (offset {@code [1, 100, 0, 0]}, scale {@code [1, 0.01, 1, 1]}) then a two-tree
     * {@code TreeEnsembleRegressor} (SUM, base 5) into {@code variable [N, 1]}; input {@code input
     * [N, 4]}. {@code days_since_last_purchase} defaults to NaN and its split tracks missing values
     * to the true branch.
     */
    public static TestModel scalerTreeRegressor() {
        OnnxGraph g = new OnnxGraph("tree_regressor");
        g.floatInput("input", -1, 4);
        g.mlNode(
                "Scaler",
                List.of("input"),
                List.of("scaled"),
                floats("offset", 1f, 100f, 0f, 0f),
                floats("scale", 1f, 0.01f, 1f, 1f));
        // tree 0: 0 revenue<=0.5 ? 1 : 2; 1 days<=14 (missing true) ? 3 : 4; 2 orders<=2 ? 5 : 6
        // tree 1: 0 engagement<=0.5 ? 1 : 2
        g.mlNode(
                "TreeEnsembleRegressor",
                List.of("scaled"),
                List.of("variable"),
                ints("nodes_treeids", 0, 0, 0, 0, 0, 0, 0, 1, 1, 1),
                ints("nodes_nodeids", 0, 1, 2, 3, 4, 5, 6, 0, 1, 2),
                ints("nodes_featureids", 1, 3, 0, 0, 0, 0, 0, 2, 0, 0),
                floats("nodes_values", 0.5f, 14f, 2f, 0, 0, 0, 0, 0.5f, 0, 0),
                strings(
                        "nodes_modes",
                        "BRANCH_LEQ",
                        "BRANCH_LEQ",
                        "BRANCH_LEQ",
                        "LEAF",
                        "LEAF",
                        "LEAF",
                        "LEAF",
                        "BRANCH_LEQ",
                        "LEAF",
                        "LEAF"),
                ints("nodes_truenodeids", 1, 3, 5, 0, 0, 0, 0, 1, 0, 0),
                ints("nodes_falsenodeids", 2, 4, 6, 0, 0, 0, 0, 2, 0, 0),
                ints("nodes_missing_value_tracks_true", 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
                ints("target_treeids", 0, 0, 0, 0, 1, 1),
                ints("target_nodeids", 3, 4, 5, 6, 1, 2),
                ints("target_ids", 0, 0, 0, 0, 0, 0),
                floats("target_weights", 10f, 2f, 40f, 90f, 0f, 3f),
                intAttr("n_targets", 1),
                stringAttr("aggregate_function", "SUM"),
                stringAttr("post_transform", "NONE"),
                floats("base_values", (float) REGRESSOR_BASE));
        g.floatOutput("variable", -1, 1);
        Map<String, Double> defaults = new LinkedHashMap<>();
        defaults.put("days_since_last_purchase", Double.NaN);
        ModelCard card =
                new ModelCard(
                        "order_value",
                        "2",
                        Task.REGRESSION,
                        "Scaler + TreeEnsembleRegressor, onnxmltools shape",
                        new Inputs("input", null, REGRESSOR_FEATURES),
                        new Output("variable", OutputKind.VALUE),
                        null,
                        null,
                        defaults,
                        null,
                        List.of(
                                golden(
                                        regressorValue(2, 120, 0.2, 7),
                                        null,
                                        "orders_30d",
                                        2,
                                        "revenue_90d",
                                        120,
                                        "engagement_score",
                                        0.2,
                                        "days_since_last_purchase",
                                        7),
                                golden(
                                        regressorValue(5, 400, 0.9, 30),
                                        null,
                                        "orders_30d",
                                        5,
                                        "revenue_90d",
                                        400,
                                        "engagement_score",
                                        0.9,
                                        "days_since_last_purchase",
                                        30),
                                // days missing: NaN, tracked to the true branch
                                golden(
                                        regressorValue(1, 50, 0.1, Double.NaN),
                                        null,
                                        "orders_30d",
                                        1,
                                        "revenue_90d",
                                        50,
                                        "engagement_score",
                                        0.1)),
                        null);
        return new TestModel(g.toBytes(), card);
    }

    // ---- multiclass TreeEnsembleClassifier, labels 1..5 ----

    public static final List<String> CLASSIFIER_FEATURES =
            List.of("product_views_7d", "engagement_score");
    public static final List<String> CLASSIFIER_LABELS = List.of("1", "2", "3", "4", "5");

    /**
     * The classifier's probabilities for labels 1..5, by hand: views at most 5 and engagement at
     * most 0.5 -> {@code [0.7, 0.3, 0, 0, 0]}; views at most 5, engagement above -> {@code [0, 0.4,
     * 0.6, 0, 0]}; views above 5, engagement at most 0.5 -> {@code [0, 0, 0, 0.8, 0.2]}; else
     * {@code [0, 0, 0.1, 0, 0.9]}.
     */
    public static double[] classifierProbabilities(double views, double engagement) {
        if (views <= 5) {
            return engagement <= 0.5
                    ? new double[] {0.7, 0.3, 0, 0, 0}
                    : new double[] {0, 0.4, 0.6, 0, 0};
        }
        return engagement <= 0.5
                ? new double[] {0, 0, 0, 0.8, 0.2}
                : new double[] {0, 0, 0.1, 0, 0.9};
    }

    /**
     * A one-tree {@code TreeEnsembleClassifier} with int64 labels 1..5 (post_transform NONE); input
     * {@code X [N, 2]}. With {@code zipMap} its probabilities go through ZipMap into {@code
     * output_probability}, else they are the output {@code probabilities [N, 5]}.
     */
    public static TestModel treeClassifier(boolean zipMap) {
        OnnxGraph g = new OnnxGraph("tree_classifier");
        g.floatInput("X", -1, 2);
        String probabilities = zipMap ? "probability_tensor" : "probabilities";
        g.mlNode(
                "TreeEnsembleClassifier",
                List.of("X"),
                List.of("label", probabilities),
                ints("classlabels_int64s", 1, 2, 3, 4, 5),
                ints("nodes_treeids", 0, 0, 0, 0, 0, 0, 0),
                ints("nodes_nodeids", 0, 1, 2, 3, 4, 5, 6),
                ints("nodes_featureids", 0, 1, 1, 0, 0, 0, 0),
                floats("nodes_values", 5f, 0.5f, 0.5f, 0, 0, 0, 0),
                strings(
                        "nodes_modes",
                        "BRANCH_LEQ",
                        "BRANCH_LEQ",
                        "BRANCH_LEQ",
                        "LEAF",
                        "LEAF",
                        "LEAF",
                        "LEAF"),
                ints("nodes_truenodeids", 1, 3, 5, 0, 0, 0, 0),
                ints("nodes_falsenodeids", 2, 4, 6, 0, 0, 0, 0),
                // class_ids are positions in classlabels_int64s
                ints("class_treeids", 0, 0, 0, 0, 0, 0, 0, 0),
                ints("class_nodeids", 3, 3, 4, 4, 5, 5, 6, 6),
                ints("class_ids", 0, 1, 1, 2, 3, 4, 2, 4),
                floats("class_weights", 0.7f, 0.3f, 0.4f, 0.6f, 0.8f, 0.2f, 0.1f, 0.9f),
                stringAttr("post_transform", "NONE"));
        g.output("label", INT64, -1);
        if (zipMap) {
            g.mlNode(
                    "ZipMap",
                    List.of(probabilities),
                    List.of("output_probability"),
                    ints("classlabels_int64s", 1, 2, 3, 4, 5));
            g.mapSequenceOutput("output_probability", INT64);
        } else {
            g.floatOutput("probabilities", -1, 5);
        }
        ModelCard card =
                new ModelCard(
                        zipMap ? "next_category_zipmap" : "next_category",
                        "1",
                        Task.MULTICLASS_CLASSIFICATION,
                        "TreeEnsembleClassifier, labels 1..5",
                        new Inputs("X", null, CLASSIFIER_FEATURES),
                        new Output(
                                zipMap ? "output_probability" : "probabilities",
                                zipMap ? OutputKind.PROBABILITY_MAP : OutputKind.PROBABILITIES),
                        CLASSIFIER_LABELS,
                        null,
                        null,
                        null,
                        List.of(
                                golden(0.7, "1", "product_views_7d", 3, "engagement_score", 0.2),
                                golden(0.6, "3", "product_views_7d", 1, "engagement_score", 0.9),
                                golden(0.8, "4", "product_views_7d", 12, "engagement_score", 0.4),
                                golden(0.9, "5", "product_views_7d", 6, "engagement_score", 0.7)),
                        null);
        return new TestModel(g.toBytes(), card);
    }

    // ---- a string category through the model's own LabelEncoder ----

    /** The tier model's card: one string input {@code tier} from {@code loyalty_tier}. */
    public static final String TIER_CARD =
            """
            name: tier_value
            version: "1"
            task: regression
            inputs:
              - name: tier
                type: string
                columns: [loyalty_tier]
            output: {name: variable, kind: value}
            defaults: {loyalty_tier: none}
            golden:
              - features: {loyalty_tier: gold}
                score: 2.5
              - features: {}
                score: 1.0
            """;

    /** The tier model's value, by hand: bronze 1, silver 2, gold 3, anything else 0; x 0.5 + 1. */
    public static double tierValue(String tier) {
        double code =
                switch (tier == null ? "" : tier) {
                    case "bronze" -> 1;
                    case "silver" -> 2;
                    case "gold" -> 3;
                    default -> 0;
                };
        return code * 0.5 + 1;
    }

    /**
     * {@code tier [N, 1] string -> LabelEncoder (bronze 1, silver 2, gold 3, else 0) * 0.5 + 1}
     * into {@code variable [N, 1]}, with {@link #TIER_CARD}.
     */
    public static TestModel tierValue() {
        OnnxGraph g = new OnnxGraph("tier_value");
        g.input("tier", OnnxGraph.STRING, -1, 1);
        g.initializer("half", new float[] {0.5f}, 1);
        g.initializer("one", new float[] {1f}, 1);
        g.mlNode(
                "LabelEncoder",
                List.of("tier"),
                List.of("code"),
                strings("keys_strings", "bronze", "silver", "gold"),
                floats("values_floats", 1f, 2f, 3f),
                OnnxGraph.floatAttr("default_float", 0f));
        g.node("Mul", List.of("code", "half"), List.of("scaled"));
        g.node("Add", List.of("scaled", "one"), List.of("variable"));
        g.floatOutput("variable", -1, 1);
        try {
            return new TestModel(g.toBytes(), ModelCards.parse(TIER_CARD, "tier_value.yaml"));
        } catch (io.personalize.models.ModelException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- one input per feature ----

    /** The card's feature order; the graph declares its inputs in another order. */
    public static final List<String> PER_FEATURE_FEATURES =
            List.of("orders_30d", "engagement_score", "product_views_7d");

    /** The per-feature model's value, by hand. */
    public static double perFeatureValue(double orders30d, double engagement, double views) {
        return 2 * orders30d + 10 * engagement + 0.5 * views + 1;
    }

    /**
     * Linear regression with one {@code [N, 1]} input per feature (declared views, orders,
     * engagement), concatenated as (orders, engagement, views), into {@code variable [N, 1]}.
     */
    public static TestModel perFeature() {
        OnnxGraph g = new OnnxGraph("per_feature");
        g.floatInput("product_views_7d", -1, 1);
        g.floatInput("orders_30d", -1, 1);
        g.floatInput("engagement_score", -1, 1);
        g.initializer("w", new float[] {2f, 10f, 0.5f}, 3, 1);
        g.initializer("b", new float[] {1f}, 1);
        g.node(
                "Concat",
                List.of("orders_30d", "engagement_score", "product_views_7d"),
                List.of("x"),
                intAttr("axis", 1));
        g.node("MatMul", List.of("x", "w"), List.of("xw"));
        g.node("Add", List.of("xw", "b"), List.of("variable"));
        g.floatOutput("variable", -1, 1);
        ModelCard card =
                new ModelCard(
                        "basket_size",
                        "1",
                        Task.REGRESSION,
                        "linear regression, one input per feature",
                        new Inputs(null, true, PER_FEATURE_FEATURES),
                        new Output("variable", OutputKind.VALUE),
                        null,
                        null,
                        null,
                        null,
                        List.of(
                                golden(
                                        perFeatureValue(3, 0.5, 8),
                                        null,
                                        "orders_30d",
                                        3,
                                        "engagement_score",
                                        0.5,
                                        "product_views_7d",
                                        8)),
                        null);
        return new TestModel(g.toBytes(), card);
    }

    // ---- clustering: nearest centroid ----

    public static final List<String> CLUSTERING_FEATURES = List.of("orders_30d", "revenue_90d");
    static final double[][] CENTROIDS = {{0, 0}, {2, 100}, {10, 1000}};
    public static final List<String> CLUSTER_LABELS = List.of("dormant", "regular", "vip");

    /** The nearest centroid's id, by hand. */
    public static int nearestCentroid(double orders30d, double revenue90d) {
        int best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int k = 0; k < CENTROIDS.length; k++) {
            double d0 = orders30d - CENTROIDS[k][0];
            double d1 = revenue90d - CENTROIDS[k][1];
            double distance = d0 * d0 + d1 * d1;
            if (distance < bestDistance) {
                bestDistance = distance;
                best = k;
            }
        }
        return best;
    }

    /**
     * Squared distances to three centroids (Unsqueeze, Sub, Mul, ReduceSum) and ArgMin into {@code
     * label}, an int64 {@code [N]}; input {@code features [N, 2]}.
     */
    public static TestModel clustering() {
        OnnxGraph g = new OnnxGraph("clustering");
        g.floatInput("features", -1, 2);
        float[] centroids = new float[CENTROIDS.length * 2];
        for (int k = 0; k < CENTROIDS.length; k++) {
            centroids[2 * k] = (float) CENTROIDS[k][0];
            centroids[2 * k + 1] = (float) CENTROIDS[k][1];
        }
        g.initializer("centroids", centroids, CENTROIDS.length, 2);
        g.initializer("axis1", new long[] {1}, 1);
        g.initializer("axis2", new long[] {2}, 1);
        g.node("Unsqueeze", List.of("features", "axis1"), List.of("x3"));
        g.node("Sub", List.of("x3", "centroids"), List.of("d"));
        g.node("Mul", List.of("d", "d"), List.of("d2"));
        g.node("ReduceSum", List.of("d2", "axis2"), List.of("distances"), intAttr("keepdims", 0));
        g.node(
                "ArgMin",
                List.of("distances"),
                List.of("label"),
                intAttr("axis", 1),
                intAttr("keepdims", 0));
        g.output("label", INT64, -1);
        ModelCard card =
                new ModelCard(
                        "customer_clusters",
                        "1",
                        Task.CLUSTERING,
                        "k-means, three centroids",
                        new Inputs("features", null, CLUSTERING_FEATURES),
                        new Output("label", OutputKind.LABEL),
                        CLUSTER_LABELS,
                        null,
                        null,
                        null,
                        List.of(
                                golden(0, "dormant", "orders_30d", 1, "revenue_90d", 10),
                                golden(1, "regular", "orders_30d", 3, "revenue_90d", 120),
                                golden(2, "vip", "orders_30d", 12, "revenue_90d", 900)),
                        null);
        return new TestModel(g.toBytes(), card);
    }

    /** Every model above, by card name. */
    public static Map<String, TestModel> all() {
        Map<String, TestModel> all = new LinkedHashMap<>();
        for (TestModel m :
                List.of(
                        logistic(false),
                        logistic(true),
                        linearClassifierZipMap(),
                        scalerTreeRegressor(),
                        treeClassifier(false),
                        treeClassifier(true),
                        perFeature(),
                        clustering())) {
            all.put(m.card().name(), m);
        }
        return all;
    }

    // ---- helpers ----

    public static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** A golden example from name/value pairs. */
    public static Golden golden(double score, String label, Object... nameValues) {
        Map<String, Double> features = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            features.put((String) nameValues[i], ((Number) nameValues[i + 1]).doubleValue());
        }
        return new Golden(features, score, label);
    }

    /** A float row from values. */
    public static float[] row(double... values) {
        float[] row = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            row[i] = (float) values[i];
        }
        return row;
    }
}
