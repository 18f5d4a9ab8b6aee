package io.personalize.models.training;

import static io.personalize.models.testing.OnnxGraph.floats;
import static io.personalize.models.testing.OnnxGraph.intAttr;

import io.personalize.core.training.PointInTime.Snapshot;
import io.personalize.models.ModelCard;
import io.personalize.models.testing.OnnxGraph;
import io.personalize.models.training.Splits.Part;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tribuo.MutableDataset;
import org.tribuo.Tribuo;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.la.DenseVector;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Customer segments found by K-Means (Tribuo) on each customer's features at the last snapshot
 * time, after {@code log(1 + max(x, 0))} and standardization. Tribuo 4.3's KMeansModel does not
 * export ONNX, so the assignment is written as a graph here: Max, Add, Log, an {@code ai.onnx.ml}
 * Scaler, squared distances to the centroids (Unsqueeze, Sub, Mul, ReduceSum) and ArgMin to an
 * int64 {@code label} (the squared distances are a second output, {@code distances}). The number of
 * clusters is chosen by k-fold cross-validation on the held-out folds' silhouette. Cluster ids are
 * ordered by value (the centroid's standardized orders, revenue and engagement, ascending) and
 * named after the centroid's three most distinctive features.
 */
final class SegmentClusters {
    static final List<Integer> CLUSTER_COUNTS = List.of(3, 4, 5, 6);
    static final int ITERATIONS = 100;

    /** Held-out points the silhouette is computed on (it costs n squared). */
    static final int SILHOUETTE_SAMPLE = 1000;

    /** The features whose centroid values order the clusters from least to most valuable. */
    static final List<String> VALUE_FEATURES =
            List.of("orders_90d", "revenue_90d", "engagement_score");

    private SegmentClusters() {}

    /** A fitted clustering: the transform and the centroids (in the transformed space). */
    record Fitted(Standardizer standardizer, double[][] centroids) {
        int assign(double[] z) {
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < centroids.length; c++) {
                double d = Metrics.squaredDistance(z, centroids[c]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
            return best;
        }

        int[] assign(double[][] z) {
            int[] out = new int[z.length];
            for (int i = 0; i < z.length; i++) {
                out[i] = assign(z[i]);
            }
            return out;
        }
    }

    static TrainedModel train(TrainingRun run) {
        long seed = run.settings().seed();
        FeatureSet features = FeatureSet.missingAsFinite(FeatureSet.SEGMENTS);
        long last = run.snapshots().stream().mapToLong(Snapshot::asOf).max().orElseThrow();
        List<Snapshot> rows = run.snapshots().stream().filter(s -> s.asOf() == last).toList();
        Splits splits = run.splits();
        int folds = run.settings().folds();

        Map<String, Object> cv = new LinkedHashMap<>();
        int bestK = -1;
        double best = Double.NaN;
        for (int k : CLUSTER_COUNTS) {
            double sum = 0;
            for (int f = 0; f < folds; f++) {
                Fitted fitted =
                        fit(
                                features.rows(splits.fold(rows, Snapshot::customerKey, f, false)),
                                k,
                                seed);
                float[][] held =
                        sample(features.rows(splits.fold(rows, Snapshot::customerKey, f, true)));
                double[][] z = fitted.standardizer().apply(held);
                sum += Metrics.silhouette(z, fitted.assign(z), k);
            }
            double silhouette = sum / folds;
            cv.put(
                    String.valueOf(k),
                    TrainingRun.ordered("silhouette", Metrics.round(silhouette, 4)));
            if (Double.isNaN(best) || silhouette > best) {
                best = silhouette;
                bestK = k;
            }
        }
        List<Snapshot> train = run.part(rows, Part.TRAIN);
        List<Snapshot> test = run.part(rows, Part.TEST);
        Fitted fitted = byValue(fit(features.rows(train), bestK, seed), features);
        float[][] testX = features.rows(test);
        double[][] testZ = fitted.standardizer().apply(testX);
        int[] testLabels = fitted.assign(testZ);
        double[][] sampleZ = fitted.standardizer().apply(sample(testX));
        double testSilhouette = Metrics.silhouette(sampleZ, fitted.assign(sampleZ), bestK);
        double testInertia = 0;
        int[] sizes = new int[bestK];
        for (int i = 0; i < testZ.length; i++) {
            testInertia += Metrics.squaredDistance(testZ[i], fitted.centroids()[testLabels[i]]);
            sizes[testLabels[i]]++;
        }
        testInertia /= Math.max(1, testZ.length);

        List<String> names = names(fitted, features);
        float[] expected = new float[testLabels.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = testLabels[i];
        }
        List<ModelCard.Golden> golden = new ArrayList<>();
        for (int i : goldenRows(fitted, testZ, testLabels, 5)) {
            golden.add(
                    new ModelCard.Golden(
                            features.knownValues(test.get(i).features()),
                            testLabels[i],
                            names.get(testLabels[i])));
        }
        Map<String, Object> centroids = new LinkedHashMap<>();
        for (int c = 0; c < bestK; c++) {
            Map<String, Object> centroid = new LinkedHashMap<>();
            for (int f = 0; f < features.width(); f++) {
                centroid.put(features.names().get(f), Metrics.round(fitted.centroids()[c][f], 3));
            }
            centroids.put(names.get(c), centroid);
        }
        Map<String, Object> testSizes = new LinkedHashMap<>();
        for (int c = 0; c < bestK; c++) {
            testSizes.put(names.get(c), sizes[c]);
        }

        Map<String, Object> training = new LinkedHashMap<>();
        training.put("trained_by", run.settings().command());
        training.put("data", run.dataSection());
        training.put(
                "population",
                "every known customer, features as of the last snapshot time "
                        + java.time.Instant.ofEpochMilli(last));
        training.put("splits", run.splitSection(rows, s -> 0));
        training.put(
                "model",
                TrainingRun.ordered(
                        "library",
                        "Tribuo " + Tribuo.VERSION,
                        "trainer",
                        "KMeansTrainer(k, "
                                + ITERATIONS
                                + " iterations, L2, k-means++, 1 thread, seed "
                                + seed
                                + ")",
                        "inputs",
                        "z = (log(1 + max(x, 0)) - mean) * scale, mean and scale of the training"
                                + " rows; computed in the graph",
                        "centroids_standardized",
                        centroids));
        training.put(
                "hyperparameter",
                TrainingRun.ordered(
                        "name", "clusters",
                        "searched", CLUSTER_COUNTS,
                        "cross_validation", cv,
                        "chosen", bestK));
        training.put(
                "metrics",
                TrainingRun.ordered(
                        "cv_silhouette", Metrics.round(best, 4),
                        "test_silhouette", Metrics.round(testSilhouette, 4),
                        "test_mean_squared_distance", Metrics.round(testInertia, 4),
                        "test_cluster_sizes", testSizes));
        training.put(
                "onnx",
                TrainingRun.ordered(
                        "exporter",
                        SegmentClusters.class.getName()
                                + " (Tribuo 4.3 KMeansModel has no ONNX export)",
                        "checked",
                        String.format(
                                Locale.ROOT,
                                "ONNX Runtime assigns all %d test rows to the same cluster as"
                                        + " the model",
                                test.size())));
        ModelCard card =
                new ModelCard(
                        "customer_clusters",
                        "1",
                        ModelCard.Task.CLUSTERING,
                        "Behavioural segment of the customer (K-Means over purchase, browsing and"
                                + " e-mail features); the score is the cluster id, the label its"
                                + " name.",
                        features.inputs("features"),
                        new ModelCard.Output("label", ModelCard.OutputKind.LABEL),
                        names,
                        null,
                        features.defaults(),
                        training,
                        golden,
                        ModelCard.Tolerance.absolute(0.0));
        String summary =
                String.format(
                        Locale.ROOT,
                        "customer_clusters: k %d (cv silhouette %.4f), test silhouette %.4f, test"
                                + " mean squared distance %.4f",
                        bestK,
                        best,
                        testSilhouette,
                        testInertia);
        return new TrainedModel(
                card, export(fitted, features.width()), List.of(testX), expected, 0.0, summary);
    }

    /** The first {@link #SILHOUETTE_SAMPLE} rows (the rows are in customer-key order). */
    private static float[][] sample(float[][] rows) {
        return rows.length <= SILHOUETTE_SAMPLE
                ? rows
                : java.util.Arrays.copyOf(rows, SILHOUETTE_SAMPLE);
    }

    static Fitted fit(float[][] x, int k, long seed) {
        Standardizer standardizer = Standardizer.fit(x, true);
        ClusteringFactory factory = new ClusteringFactory();
        MutableDataset<ClusterID> dataset =
                new MutableDataset<>(
                        new SimpleDataSourceProvenance("point-in-time snapshots", factory),
                        factory);
        int width = x[0].length;
        String[] names = new String[width];
        for (int f = 0; f < width; f++) {
            names[f] = String.format(Locale.ROOT, "f%02d", f); // Tribuo orders features by name
        }
        for (float[] row : x) {
            dataset.add(
                    new ArrayExample<>(
                            ClusteringFactory.UNASSIGNED_CLUSTER_ID,
                            names,
                            standardizer.apply(row)));
        }
        KMeansTrainer trainer =
                new KMeansTrainer(
                        k,
                        ITERATIONS,
                        new L2Distance(),
                        KMeansTrainer.Initialisation.PLUSPLUS,
                        1,
                        seed);
        KMeansModel model = trainer.train(dataset);
        DenseVector[] vectors = model.getCentroidVectors();
        double[][] centroids = new double[vectors.length][width];
        for (int c = 0; c < vectors.length; c++) {
            for (int f = 0; f < width; f++) {
                int id = model.getFeatureIDMap().getID(names[f]);
                centroids[c][f] = id < 0 ? 0.0 : vectors[c].get(id);
            }
        }
        return new Fitted(standardizer, centroids);
    }

    /** The same clusters, ordered by the centroids' standardized value features, ascending. */
    static Fitted byValue(Fitted fitted, FeatureSet features) {
        List<Integer> value = new ArrayList<>();
        for (String name : VALUE_FEATURES) {
            value.add(features.names().indexOf(name));
        }
        List<double[]> centroids = new ArrayList<>(List.of(fitted.centroids()));
        centroids.sort(
                Comparator.comparingDouble(
                        c -> value.stream().mapToDouble(f -> f < 0 ? 0 : c[f]).sum()));
        return new Fitted(fitted.standardizer(), centroids.toArray(double[][]::new));
    }

    /**
     * "0: low revenue_90d, low orders_90d, high days_since_last_purchase": the centroid's three
     * features farthest from the mean.
     */
    static List<String> names(Fitted fitted, FeatureSet features) {
        List<String> names = new ArrayList<>();
        double[][] centroids = fitted.centroids();
        for (int c = 0; c < centroids.length; c++) {
            double[] centroid = centroids[c];
            List<Integer> order = new ArrayList<>();
            for (int f = 0; f < centroid.length; f++) {
                order.add(f);
            }
            order.sort(
                    Comparator.<Integer>comparingDouble(f -> -Math.abs(centroid[f]))
                            .thenComparing(f -> f));
            List<String> parts = new ArrayList<>();
            for (int f : order.subList(0, Math.min(3, order.size()))) {
                parts.add((centroid[f] >= 0 ? "high " : "low ") + features.names().get(f));
            }
            names.add(c + ": " + String.join(", ", parts));
        }
        return names;
    }

    /** Per cluster (up to {@code count}), the test row closest to its centroid. */
    private static List<Integer> goldenRows(Fitted fitted, double[][] z, int[] labels, int count) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < fitted.centroids().length && out.size() < count; c++) {
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int i = 0; i < z.length; i++) {
                if (labels[i] != c) {
                    continue;
                }
                double d = Metrics.squaredDistance(z[i], fitted.centroids()[c]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = i;
                }
            }
            if (best >= 0) {
                out.add(best);
            }
        }
        return out;
    }

    /** The assignment as an ONNX graph. */
    static byte[] export(Fitted fitted, int width) {
        int k = fitted.centroids().length;
        float[] centroids = new float[k * width];
        for (int c = 0; c < k; c++) {
            for (int f = 0; f < width; f++) {
                centroids[c * width + f] = (float) fitted.centroids()[c][f];
            }
        }
        OnnxGraph g = new OnnxGraph("customer_clusters");
        g.floatInput("features", -1, width);
        g.initializer("zero", new float[] {0f});
        g.initializer("one", new float[] {1f});
        g.initializer("axis_1", new long[] {1}, 1);
        g.initializer("axis_2", new long[] {2}, 1);
        g.initializer("centroids", centroids, k, width);
        g.node("Max", List.of("features", "zero"), List.of("nonnegative"));
        g.node("Add", List.of("nonnegative", "one"), List.of("shifted"));
        g.node("Log", List.of("shifted"), List.of("logged"));
        g.mlNode(
                "Scaler",
                List.of("logged"),
                List.of("standardized"),
                floats("offset", fitted.standardizer().meanAsFloats()),
                floats("scale", fitted.standardizer().scaleAsFloats()));
        g.node("Unsqueeze", List.of("standardized", "axis_1"), List.of("rows"));
        g.node("Sub", List.of("rows", "centroids"), List.of("differences"));
        g.node("Mul", List.of("differences", "differences"), List.of("squares"));
        g.node(
                "ReduceSum",
                List.of("squares", "axis_2"),
                List.of("distances"),
                intAttr("keepdims", 0));
        g.node(
                "ArgMin",
                List.of("distances"),
                List.of("label"),
                intAttr("axis", 1),
                intAttr("keepdims", 0));
        g.output("label", OnnxGraph.INT64, -1);
        g.floatOutput("distances", -1, k);
        return g.toModel().toBuilder()
                .setProducerName("personalize-training")
                .setDocString(
                        "K-Means assignment ("
                                + k
                                + " clusters, Tribuo "
                                + Tribuo.VERSION
                                + "): argmin of squared distances after log1p and"
                                + " standardization")
                .build()
                .toByteArray();
    }
}
