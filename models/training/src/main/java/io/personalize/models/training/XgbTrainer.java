package io.personalize.models.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees with xgboost4j, deterministic (one thread, fixed seed): k-fold
 * cross-validation on the training part chooses {@code max_depth}, the validation part chooses the
 * number of rounds (early stopping in steps of {@link Settings#roundStep}), the test part is scored
 * once at the end.
 */
public final class XgbTrainer {

    /** What is learned and how it is scored. */
    public enum Kind {
        BINARY("binary:logistic", "roc_auc", true),
        REGRESSION("reg:squarederror", "rmse", false);

        final String objective;
        final String metric;
        final boolean maximize;

        Kind(String objective, String metric, boolean maximize) {
            this.objective = objective;
            this.metric = metric;
            this.maximize = maximize;
        }

        public String metric() {
            return metric;
        }

        double score(float[] predictions, float[] labels) {
            return this == BINARY
                    ? Metrics.rocAuc(predictions, labels)
                    : Metrics.rmse(predictions, labels);
        }

        boolean better(double candidate, double best) {
            if (Double.isNaN(best)) {
                return !Double.isNaN(candidate);
            }
            return maximize ? candidate > best : candidate < best;
        }
    }

    /** Training settings; {@code depths} is the hyperparameter searched by cross-validation. */
    public record Settings(
            List<Integer> depths,
            int maxRounds,
            int roundStep,
            double eta,
            double minChildWeight,
            double subsample,
            double colsample,
            long seed) {
        public static Settings defaults(long seed) {
            return new Settings(List.of(2, 3, 4, 6), 300, 10, 0.1, 5, 0.8, 0.8, seed);
        }

        public Settings withMaxRounds(int value) {
            return new Settings(
                    depths, value, roundStep, eta, minChildWeight, subsample, colsample, seed);
        }

        Map<String, Object> params(Kind kind, int depth) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("objective", kind.objective);
            p.put("eta", eta);
            p.put("max_depth", depth);
            p.put("min_child_weight", minChildWeight);
            p.put("subsample", subsample);
            p.put("colsample_bytree", colsample);
            p.put("lambda", 1.0);
            p.put("tree_method", "hist");
            p.put("max_bin", 256);
            p.put("nthread", 1);
            p.put("seed", seed);
            p.put("verbosity", 0);
            return p;
        }

        /** The parameters as a card records them. */
        public Map<String, Object> describe(Kind kind, int depth, int rounds) {
            Map<String, Object> p = new LinkedHashMap<>(params(kind, depth));
            p.remove("verbosity");
            p.put("rounds", rounds);
            return p;
        }
    }

    /** Rows and labels. */
    public record Data(float[][] x, float[] y) {
        public int rows() {
            return x.length;
        }
    }

    /** The outcome of a search and the final fit. */
    public record Result(
            Booster booster,
            int depth,
            int rounds,
            Map<Integer, Double> cvScoreByDepth,
            Map<Integer, Integer> cvRoundsByDepth,
            double validationScore,
            double testScore,
            float[] testPredictions) {}

    private final Kind kind;
    private final Settings settings;

    public XgbTrainer(Kind kind, Settings settings) {
        this.kind = kind;
        this.settings = settings;
    }

    /**
     * @param folds the training data dealt into cross-validation folds
     */
    public Result train(List<Data> folds, Data train, Data validation, Data test)
            throws XGBoostError {
        Map<Integer, Double> cvScore = new LinkedHashMap<>();
        Map<Integer, Integer> cvRounds = new LinkedHashMap<>();
        int bestDepth = -1;
        double best = Double.NaN;
        for (int depth : settings.depths()) {
            double[] meanCurve = new double[checkpoints()];
            for (int f = 0; f < folds.size(); f++) {
                List<Data> others = new ArrayList<>(folds);
                Data held = others.remove(f);
                double[] curve = curve(fit(concat(others), depth, settings.maxRounds()), held);
                for (int c = 0; c < meanCurve.length; c++) {
                    meanCurve[c] += curve[c] / folds.size();
                }
            }
            int c = bestCheckpoint(meanCurve);
            cvScore.put(depth, meanCurve[c]);
            cvRounds.put(depth, (c + 1) * settings.roundStep());
            if (kind.better(meanCurve[c], best)) {
                best = meanCurve[c];
                bestDepth = depth;
            }
        }
        Booster full = fit(train, bestDepth, settings.maxRounds());
        double[] validationCurve = curve(full, validation);
        full.dispose();
        int c = bestCheckpoint(validationCurve);
        int rounds = (c + 1) * settings.roundStep();
        Booster booster = fit(train, bestDepth, rounds);
        float[] testPredictions = predict(booster, test.x(), 0);
        return new Result(
                booster,
                bestDepth,
                rounds,
                cvScore,
                cvRounds,
                validationCurve[c],
                kind.score(testPredictions, test.y()),
                testPredictions);
    }

    /** A booster on {@code data} with {@code rounds} rounds. */
    public Booster fit(Data data, int depth, int rounds) throws XGBoostError {
        DMatrix matrix = matrix(data.x(), data.y());
        try {
            return XGBoost.train(
                    matrix, settings.params(kind, depth), rounds, Map.of(), null, null);
        } finally {
            matrix.dispose();
        }
    }

    private int checkpoints() {
        return settings.maxRounds() / settings.roundStep();
    }

    /** The metric on {@code data} after every {@code roundStep} rounds. */
    private double[] curve(Booster booster, Data data) throws XGBoostError {
        double[] curve = new double[checkpoints()];
        DMatrix matrix = matrix(data.x(), null);
        try {
            for (int c = 0; c < curve.length; c++) {
                float[][] p = booster.predict(matrix, false, (c + 1) * settings.roundStep());
                curve[c] = kind.score(column(p), data.y());
            }
        } finally {
            matrix.dispose();
        }
        return curve;
    }

    private int bestCheckpoint(double[] curve) {
        int best = 0;
        for (int c = 1; c < curve.length; c++) {
            if (kind.better(curve[c], curve[best])) {
                best = c;
            }
        }
        return best;
    }

    /** Predictions (probabilities or values) of the first {@code rounds} rounds (0: all). */
    public static float[] predict(Booster booster, float[][] x, int rounds) throws XGBoostError {
        DMatrix matrix = matrix(x, null);
        try {
            return column(booster.predict(matrix, false, rounds));
        } finally {
            matrix.dispose();
        }
    }

    static DMatrix matrix(float[][] x, float[] y) throws XGBoostError {
        int cols = x.length == 0 ? 0 : x[0].length;
        float[] flat = new float[x.length * cols];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * cols, cols);
        }
        DMatrix matrix = new DMatrix(flat, x.length, cols, Float.NaN);
        if (y != null) {
            matrix.setLabel(y);
        }
        return matrix;
    }

    private static float[] column(float[][] predictions) {
        float[] out = new float[predictions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = predictions[i][0];
        }
        return out;
    }

    static Data concat(List<Data> parts) {
        int n = 0;
        for (Data d : parts) {
            n += d.rows();
        }
        float[][] x = new float[n][];
        float[] y = new float[n];
        int i = 0;
        for (Data d : parts) {
            for (int r = 0; r < d.rows(); r++, i++) {
                x[i] = d.x()[r];
                y[i] = d.y()[r];
            }
        }
        return new Data(x, y);
    }
}
