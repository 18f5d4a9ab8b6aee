package io.personalize.models.training;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.personalize.core.training.PointInTime.Snapshot;
import io.personalize.models.ModelCard;
import io.personalize.models.testing.OnnxGraph;
import io.personalize.models.training.Splits.Part;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * The purchase-propensity challenger: logistic regression (Tribuo's {@link LinearSGDTrainer} with
 * {@link LogMulticlass}, AdaGrad) on standardized features, exported by Tribuo's own ONNX writer
 * ({@link LinearSGDModel#writeONNXGraph}) behind a standardization step, with a ZipMap that gives
 * the probabilities by label ({@code output_probability}, as scikit-learn exports do). The learning
 * rate is chosen by k-fold cross-validation; the rows, splits and test customers are the
 * champion's, so the two test ROC-AUCs compare.
 */
final class LogisticBaseline {
    static final String VERSION = "1-logistic";
    static final String ZIPMAP_OUTPUT = "output_probability";
    static final List<Double> LEARNING_RATES = List.of(0.01, 0.1, 1.0);
    static final int EPOCHS = 5;

    private LogisticBaseline() {}

    static TrainedModel train(TrainingRun run) {
        long seed = run.settings().seed();
        // Tribuo numbers features by name, and its graph reads them in that order: so does the
        // card.
        FeatureSet features =
                FeatureSet.missingAsFinite(FeatureSet.BEHAVIOUR.stream().sorted().toList());
        List<Snapshot> rows = run.snapshots();
        Splits splits = run.splits();
        int folds = run.settings().folds();

        Map<String, Object> cv = new LinkedHashMap<>();
        double bestAuc = Double.NaN;
        double bestRate = Double.NaN;
        for (double rate : LEARNING_RATES) {
            double sum = 0;
            for (int f = 0; f < folds; f++) {
                Fitted fitted =
                        fit(
                                features,
                                splits.fold(rows, Snapshot::customerKey, f, false),
                                rate,
                                seed);
                List<Snapshot> held = splits.fold(rows, Snapshot::customerKey, f, true);
                sum += Metrics.rocAuc(fitted.predict(features.rows(held)), labels(held));
            }
            double auc = sum / folds;
            cv.put(String.valueOf(rate), TrainingRun.ordered("roc_auc", Metrics.round(auc, 4)));
            if (Double.isNaN(bestAuc) || auc > bestAuc) {
                bestAuc = auc;
                bestRate = rate;
            }
        }
        List<Snapshot> train = run.part(rows, Part.TRAIN);
        List<Snapshot> validation = run.part(rows, Part.VALIDATION);
        List<Snapshot> test = run.part(rows, Part.TEST);
        Fitted fitted = fit(features, train, bestRate, seed);
        double validationAuc =
                Metrics.rocAuc(fitted.predict(features.rows(validation)), labels(validation));
        float[][] testX = features.rows(test);
        float[] testP = fitted.predict(testX);
        double testAuc = Metrics.rocAuc(testP, labels(test));

        byte[] onnx = export(fitted, features.width());

        List<String> labelNames = List.of("0", "1");
        List<ModelCard.Golden> golden = new ArrayList<>();
        for (int i : TrainedModel.goldenRows(testX, testP, true, 5)) {
            golden.add(
                    new ModelCard.Golden(
                            features.knownValues(test.get(i).features()),
                            testP[i],
                            labelNames.get(testP[i] >= 0.5f ? 1 : 0)));
        }
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("trained_by", run.settings().command());
        training.put("data", run.dataSection());
        training.put("population", "every known customer with an event at or before t");
        training.put("label", "1 when the customer places at least one new order in (t, t + 30 d]");
        training.put("splits", run.splitSection(rows, LogisticBaseline::label));
        training.put(
                "model",
                TrainingRun.ordered(
                        "library",
                        "Tribuo " + Tribuo.VERSION,
                        "trainer",
                        "LinearSGDTrainer(LogMulticlass, AdaGrad(rate, 0.1), epochs "
                                + EPOCHS
                                + ", minibatch 1, seed "
                                + seed
                                + ")",
                        "inputs",
                        "standardized in the graph: (x - mean) * scale, mean and scale of the"
                                + " training rows"));
        training.put(
                "hyperparameter",
                TrainingRun.ordered(
                        "name", "adagrad_learning_rate",
                        "searched", LEARNING_RATES,
                        "cross_validation", cv,
                        "chosen", bestRate));
        training.put(
                "metrics",
                TrainingRun.ordered(
                        "cv_roc_auc", Metrics.round(bestAuc, 4),
                        "validation_roc_auc", Metrics.round(validationAuc, 4),
                        "test_roc_auc", Metrics.round(testAuc, 4)));
        training.put(
                "onnx",
                TrainingRun.ordered(
                        "exporter",
                        "Tribuo LinearSGDModel.writeONNXGraph + ONNXExportable.buildModel; Tribuo's"
                                + " provenance metadata (it holds the training time) is left out so"
                                + " the file is reproducible",
                        "checked",
                        String.format(
                                Locale.ROOT,
                                "ONNX Runtime matches Tribuo's predictions on all %d test rows within"
                                        + " 1.0E-4",
                                test.size())));
        ModelCard card =
                new ModelCard(
                        "purchase_propensity",
                        VERSION,
                        ModelCard.Task.BINARY_CLASSIFICATION,
                        "Probability that the customer places an order in the next 30 days:"
                                + " logistic-regression baseline (Tribuo), the challenger of the"
                                + " XGBoost champion.",
                        features.inputs("features"),
                        new ModelCard.Output(ZIPMAP_OUTPUT, ModelCard.OutputKind.PROBABILITY_MAP),
                        labelNames,
                        null,
                        features.defaults(),
                        training,
                        golden,
                        ModelCard.Tolerance.absolute(1e-4));
        String summary =
                String.format(
                        Locale.ROOT,
                        "purchase_propensity %s: learning rate %s (cv roc_auc %.4f), validation"
                                + " roc_auc %.4f, test roc_auc %.4f",
                        VERSION,
                        bestRate,
                        bestAuc,
                        validationAuc,
                        testAuc);
        return new TrainedModel(card, onnx, List.of(testX), testP, 1e-4, summary);
    }

    static double label(Snapshot s) {
        return s.outcome().orders30d() > 0 ? 1 : 0;
    }

    private static float[] labels(List<Snapshot> rows) {
        float[] y = new float[rows.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) label(rows.get(i));
        }
        return y;
    }

    /** A fitted model with its standardization, in the card's feature order. */
    record Fitted(LinearSGDModel model, Standardizer standardizer, List<String> names) {
        /** Scores rows in {@link #names} order. */
        float[] predict(float[][] rows) {
            float[] out = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                out[i] = positive(example(standardizer.apply(rows[i])));
            }
            return out;
        }

        /** The feature names in the order of the model's feature ids. */
        List<String> featureOrder() {
            ImmutableFeatureMap map = model.getFeatureIDMap();
            List<String> order = new ArrayList<>();
            for (int id = 0; id < map.size(); id++) {
                order.add(map.get(id).getName());
            }
            return order;
        }

        private Example<Label> example(double[] z) {
            return new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names.toArray(String[]::new), z);
        }

        private float positive(Example<Label> example) {
            Prediction<Label> prediction = model.predict(example);
            return (float) prediction.getOutputScores().get("1").getScore();
        }
    }

    static Fitted fit(FeatureSet features, List<Snapshot> rows, double rate, long seed) {
        float[][] x = features.rows(rows);
        Standardizer standardizer = Standardizer.fit(x, false);
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset =
                new MutableDataset<>(
                        new SimpleDataSourceProvenance("point-in-time snapshots", factory),
                        factory);
        String[] names = features.names().toArray(String[]::new);
        for (int i = 0; i < x.length; i++) {
            dataset.add(
                    new ArrayExample<>(
                            new Label(label(rows.get(i)) > 0.5 ? "1" : "0"),
                            names,
                            standardizer.apply(x[i])));
        }
        // a new trainer per fit: a Tribuo trainer's random stream moves on with every fit
        LinearSGDTrainer trainer =
                new LinearSGDTrainer(
                        new LogMulticlass(), new AdaGrad(rate, 0.1), EPOCHS, -1, 1, seed);
        LinearSGDModel model = (LinearSGDModel) trainer.train(dataset);
        Fitted fitted = new Fitted(model, standardizer, features.names());
        if (!fitted.featureOrder().equals(features.names())) {
            throw new IllegalStateException(
                    "Tribuo reads the features as "
                            + fitted.featureOrder()
                            + ", not in the card's order "
                            + features.names());
        }
        return fitted;
    }

    /**
     * Tribuo's graph behind a standardization, then a ZipMap; Tribuo's provenance metadata is
     * dropped (it holds the training time and machine, and would make every export differ).
     */
    static byte[] export(Fitted fitted, int width) {
        float[] mean = fitted.standardizer().meanAsFloats();
        float[] scale = fitted.standardizer().scaleAsFloats();
        ONNXContext context = new ONNXContext();
        context.setName("purchase_propensity_logistic");
        ONNXPlaceholder input = context.floatInput("features", width);
        ONNXInitializer meanInit = context.array("standardize_mean", mean);
        ONNXInitializer scaleInit = context.array("standardize_scale", scale);
        ONNXNode standardized =
                input.apply(ONNXOperators.SUB, meanInit).apply(ONNXOperators.MUL, scaleInit);
        ONNXPlaceholder probabilities = context.floatOutput("probabilities", 2);
        fitted.model().writeONNXGraph(standardized).assignTo(probabilities);
        ModelProto tribuo =
                ONNXExportable.buildModel(context, "io.personalize.models", 1, fitted.model());

        ImmutableOutputInfo<Label> outputs = fitted.model().getOutputIDInfo();
        long[] keys = new long[outputs.size()];
        for (int id = 0; id < keys.length; id++) {
            keys[id] = Long.parseLong(outputs.getOutput(id).getLabel());
        }
        GraphProto.Builder graph = tribuo.getGraph().toBuilder();
        graph.addNode(
                NodeProto.newBuilder()
                        .setOpType("ZipMap")
                        .setDomain(OnnxGraph.ML)
                        .setName("zipmap")
                        .addInput("probabilities")
                        .addOutput(ZIPMAP_OUTPUT)
                        .addAttribute(OnnxGraph.ints("classlabels_int64s", keys)));
        graph.addOutput(mapSequence(ZIPMAP_OUTPUT));
        return tribuo.toBuilder()
                .clearMetadataProps()
                .setDocString(
                        "Tribuo "
                                + Tribuo.VERSION
                                + " LinearSGDModel (logistic regression) behind a"
                                + " standardization; ZipMap by label")
                .addOpsetImport(
                        OperatorSetIdProto.newBuilder().setDomain(OnnxGraph.ML).setVersion(1))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static ValueInfoProto mapSequence(String name) {
        TypeProto value =
                TypeProto.newBuilder()
                        .setTensorType(
                                TypeProto.Tensor.newBuilder()
                                        .setElemType(TensorProto.DataType.FLOAT_VALUE))
                        .build();
        TypeProto map =
                TypeProto.newBuilder()
                        .setMapType(
                                TypeProto.Map.newBuilder()
                                        .setKeyType(TensorProto.DataType.INT64_VALUE)
                                        .setValueType(value))
                        .build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        TypeProto.newBuilder()
                                .setSequenceType(TypeProto.Sequence.newBuilder().setElemType(map)))
                .build();
    }
}
