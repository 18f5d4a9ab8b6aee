package io.personalize.models.training;

import static io.personalize.models.testing.OnnxGraph.floats;
import static io.personalize.models.testing.OnnxGraph.intAttr;
import static io.personalize.models.testing.OnnxGraph.ints;
import static io.personalize.models.testing.OnnxGraph.stringAttr;
import static io.personalize.models.testing.OnnxGraph.strings;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.models.testing.OnnxGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Converts an XGBoost booster (gbtree, numerical splits, one output) to an ONNX {@code ai.onnx.ml}
 * TreeEnsemble graph, reading the booster's JSON model:
 *
 * <ul>
 *   <li>a split sends {@code x < split_condition} left: {@code BRANCH_LT}, true branch = left
 *       child; XGBoost's {@code default_left} (where a missing value goes) becomes {@code
 *       nodes_missing_value_tracks_true};
 *   <li>a leaf's value is its {@code split_condition};
 *   <li>the base score (XGBoost 3 estimates it from the labels; it is not 0.5) goes into {@code
 *       base_values}, as a margin: logit(base_score) for {@code binary:logistic}, as is for {@code
 *       reg:squarederror};
 *   <li>binary classification is encoded the way skl2onnx encodes XGBoost: one weight per leaf (the
 *       margin), all for class id 0, {@code post_transform = LOGISTIC}, so the probabilities output
 *       is {@code [1 - p, p]}. Its label output is left out of the graph: ONNX Runtime computes it
 *       wrongly for this encoding;
 *   <li>regression: a TreeEnsembleRegressor summing the leaves, output {@code variable [N, 1]}.
 * </ul>
 *
 * Thresholds and leaf values are XGBoost's float32 values exactly (parsed from their decimal text),
 * so ONNX Runtime takes the same path through every tree; sums may differ in the last bits.
 */
public final class XgboostOnnx {
    /** Name of the float input {@code [N, features]}. */
    public static final String INPUT = "features";

    /** The classifier's output {@code [N, 2]}: P(negative), P(positive). */
    public static final String PROBABILITIES = "probabilities";

    /** The regressor's output {@code [N, 1]}. */
    public static final String VALUE = "variable";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private XgboostOnnx() {}

    /** One tree, as XGBoost's JSON model holds it (node arrays indexed by node id). */
    record Tree(int[] left, int[] right, int[] feature, float[] condition, boolean[] defaultLeft) {
        boolean leaf(int node) {
            return left[node] == -1;
        }
    }

    /** The parts of a booster the conversion needs. */
    record Trees(String objective, float baseScore, int features, List<Tree> trees) {}

    /** A binary classifier ({@code binary:logistic}) as a TreeEnsembleClassifier graph. */
    public static ModelProto classifier(Booster booster, String graphName) {
        Trees model = read(booster);
        if (!model.objective().equals("binary:logistic")) {
            throw new IllegalArgumentException(
                    "classifier needs objective binary:logistic, not " + model.objective());
        }
        double base = model.baseScore();
        float margin = (float) Math.log(base / (1 - base));
        Nodes nodes = new Nodes(model.trees());
        OnnxGraph g = new OnnxGraph(graphName);
        g.floatInput(INPUT, -1, model.features());
        g.mlNode(
                "TreeEnsembleClassifier",
                List.of(INPUT),
                List.of("label_unused", PROBABILITIES),
                ints("nodes_treeids", nodes.treeIds()),
                ints("nodes_nodeids", nodes.nodeIds()),
                ints("nodes_featureids", nodes.featureIds()),
                floats("nodes_values", nodes.values()),
                strings("nodes_modes", nodes.modes()),
                ints("nodes_truenodeids", nodes.trueIds()),
                ints("nodes_falsenodeids", nodes.falseIds()),
                ints("nodes_missing_value_tracks_true", nodes.missingTracksTrue()),
                ints("class_treeids", nodes.leafTreeIds()),
                ints("class_nodeids", nodes.leafNodeIds()),
                ints("class_ids", new long[nodes.leafCount()]),
                floats("class_weights", nodes.leafWeights()),
                ints("classlabels_int64s", 0, 1),
                stringAttr("post_transform", "LOGISTIC"),
                floats("base_values", margin));
        g.floatOutput(PROBABILITIES, -1, 2);
        return withDoc(g, model);
    }

    /** A regressor ({@code reg:squarederror}) as a TreeEnsembleRegressor graph. */
    public static ModelProto regressor(Booster booster, String graphName) {
        Trees model = read(booster);
        if (!model.objective().equals("reg:squarederror")) {
            throw new IllegalArgumentException(
                    "regressor needs objective reg:squarederror, not " + model.objective());
        }
        Nodes nodes = new Nodes(model.trees());
        OnnxGraph g = new OnnxGraph(graphName);
        g.floatInput(INPUT, -1, model.features());
        g.mlNode(
                "TreeEnsembleRegressor",
                List.of(INPUT),
                List.of(VALUE),
                ints("nodes_treeids", nodes.treeIds()),
                ints("nodes_nodeids", nodes.nodeIds()),
                ints("nodes_featureids", nodes.featureIds()),
                floats("nodes_values", nodes.values()),
                strings("nodes_modes", nodes.modes()),
                ints("nodes_truenodeids", nodes.trueIds()),
                ints("nodes_falsenodeids", nodes.falseIds()),
                ints("nodes_missing_value_tracks_true", nodes.missingTracksTrue()),
                ints("target_treeids", nodes.leafTreeIds()),
                ints("target_nodeids", nodes.leafNodeIds()),
                ints("target_ids", new long[nodes.leafCount()]),
                floats("target_weights", nodes.leafWeights()),
                intAttr("n_targets", 1),
                stringAttr("aggregate_function", "SUM"),
                stringAttr("post_transform", "NONE"),
                floats("base_values", model.baseScore()));
        g.floatOutput(VALUE, -1, 1);
        return withDoc(g, model);
    }

    private static ModelProto withDoc(OnnxGraph g, Trees model) {
        return g.toModel().toBuilder()
                .setProducerName("personalize-training")
                .setDocString(
                        String.format(
                                Locale.ROOT,
                                "XGBoost %s, %d trees, %d features, base_score %s; converted by"
                                        + " io.personalize.models.training.XgboostOnnx",
                                model.objective(),
                                model.trees().size(),
                                model.features(),
                                Float.toString(model.baseScore())))
                .build();
    }

    /** Reads the booster's JSON model. */
    static Trees read(Booster booster) {
        try {
            return parse(booster.toByteArray("json"));
        } catch (XGBoostError e) {
            throw new IllegalStateException("cannot read the booster's model: " + e, e);
        }
    }

    static Trees parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("not an XGBoost JSON model: " + e, e);
        }
        JsonNode learner = root.path("learner");
        JsonNode params = learner.path("learner_model_param");
        String objective = learner.path("objective").path("name").asText();
        int numClass = Integer.parseInt(params.path("num_class").asText("0"));
        int numTarget = Integer.parseInt(params.path("num_target").asText("1"));
        if (numClass > 1 || numTarget != 1) {
            throw new IllegalArgumentException(
                    "only single-output models convert (num_class "
                            + numClass
                            + ", num_target "
                            + numTarget
                            + ")");
        }
        int features = Integer.parseInt(params.path("num_feature").asText());
        // XGBoost 3.0 writes "5E-1"; later versions write a vector "[5E-1]".
        String baseText = params.path("base_score").asText().replace("[", "").replace("]", "");
        float baseScore = Float.parseFloat(baseText.trim());
        JsonNode booster = learner.path("gradient_booster");
        if (!booster.path("name").asText().equals("gbtree")) {
            throw new IllegalArgumentException(
                    "only gbtree converts, not " + booster.path("name").asText());
        }
        List<Tree> trees = new ArrayList<>();
        for (JsonNode tree : booster.path("model").path("trees")) {
            trees.add(tree(tree));
        }
        return new Trees(objective, baseScore, features, trees);
    }

    private static Tree tree(JsonNode tree) {
        int[] left = intArray(tree.path("left_children"));
        int[] right = intArray(tree.path("right_children"));
        int[] feature = intArray(tree.path("split_indices"));
        int[] defaultLeft = intArray(tree.path("default_left"));
        JsonNode conditions = tree.path("split_conditions");
        float[] condition = new float[conditions.size()];
        for (int i = 0; i < condition.length; i++) {
            // the exact float32 the decimal text stands for (no double rounding)
            condition[i] = Float.parseFloat(conditions.get(i).decimalValue().toString());
        }
        for (JsonNode type : tree.path("split_type")) {
            if (type.asInt() != 0) {
                throw new IllegalArgumentException("categorical splits do not convert");
            }
        }
        boolean[] defaults = new boolean[defaultLeft.length];
        for (int i = 0; i < defaults.length; i++) {
            defaults[i] = defaultLeft[i] != 0;
        }
        int n = left.length;
        if (right.length != n
                || feature.length != n
                || condition.length != n
                || defaults.length != n) {
            throw new IllegalArgumentException(
                    "tree " + tree.path("id") + ": arrays differ in size");
        }
        return new Tree(left, right, feature, condition, defaults);
    }

    private static int[] intArray(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** The trees as the flat node and leaf attributes of a TreeEnsemble. */
    private static final class Nodes {
        private final long[] treeIds;
        private final long[] nodeIds;
        private final long[] featureIds;
        private final float[] values;
        private final String[] modes;
        private final long[] trueIds;
        private final long[] falseIds;
        private final long[] missingTracksTrue;
        private final long[] leafTreeIds;
        private final long[] leafNodeIds;
        private final float[] leafWeights;

        Nodes(List<Tree> trees) {
            int total = 0;
            int leaves = 0;
            for (Tree tree : trees) {
                total += tree.left().length;
                for (int node = 0; node < tree.left().length; node++) {
                    leaves += tree.leaf(node) ? 1 : 0;
                }
            }
            treeIds = new long[total];
            nodeIds = new long[total];
            featureIds = new long[total];
            values = new float[total];
            modes = new String[total];
            trueIds = new long[total];
            falseIds = new long[total];
            missingTracksTrue = new long[total];
            leafTreeIds = new long[leaves];
            leafNodeIds = new long[leaves];
            leafWeights = new float[leaves];
            int i = 0;
            int l = 0;
            for (int t = 0; t < trees.size(); t++) {
                Tree tree = trees.get(t);
                for (int node = 0; node < tree.left().length; node++, i++) {
                    treeIds[i] = t;
                    nodeIds[i] = node;
                    if (tree.leaf(node)) {
                        modes[i] = "LEAF";
                        leafTreeIds[l] = t;
                        leafNodeIds[l] = node;
                        leafWeights[l] = tree.condition()[node];
                        l++;
                    } else {
                        modes[i] = "BRANCH_LT";
                        featureIds[i] = tree.feature()[node];
                        values[i] = tree.condition()[node];
                        trueIds[i] = tree.left()[node];
                        falseIds[i] = tree.right()[node];
                        missingTracksTrue[i] = tree.defaultLeft()[node] ? 1 : 0;
                    }
                }
            }
        }

        long[] treeIds() {
            return treeIds;
        }

        long[] nodeIds() {
            return nodeIds;
        }

        long[] featureIds() {
            return featureIds;
        }

        float[] values() {
            return values;
        }

        String[] modes() {
            return modes;
        }

        long[] trueIds() {
            return trueIds;
        }

        long[] falseIds() {
            return falseIds;
        }

        long[] missingTracksTrue() {
            return missingTracksTrue;
        }

        long[] leafTreeIds() {
            return leafTreeIds;
        }

        long[] leafNodeIds() {
            return leafNodeIds;
        }

        float[] leafWeights() {
            return leafWeights;
        }

        int leafCount() {
            return leafWeights.length;
        }
    }
}
