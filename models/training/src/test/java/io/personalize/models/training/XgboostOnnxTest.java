package io.personalize.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;

/** The XGBoost to ONNX conversion scores exactly as XGBoost does, missing values included. */
class XgboostOnnxTest {
    private static final int FEATURES = 4;

    /**
     * Rows with about a quarter of the values missing; the label depends on the values and on
     * missingness, and is imbalanced (so XGBoost's estimated base score is far from 0.5).
     */
    private static XgbTrainer.Data data(int n, long seed, boolean binary) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] x = new float[n][FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < FEATURES; f++) {
                x[i][f] = random.nextDouble() < 0.25 ? Float.NaN : (float) random.nextGaussian();
            }
            double signal =
                    (Float.isNaN(x[i][0]) ? 1.5 : x[i][0])
                            - (Float.isNaN(x[i][1]) ? -1 : 0.8 * x[i][1])
                            + 0.5 * random.nextGaussian();
            y[i] = binary ? (signal > 1.2 ? 1 : 0) : (float) (3 * signal + 10);
        }
        return new XgbTrainer.Data(x, y);
    }

    /** Scoring rows: random ones, all-missing, and rows sitting exactly on split thresholds. */
    private static float[][] probeRows(Booster booster) {
        List<float[]> rows = new ArrayList<>(List.of(data(200, 99, true).x()));
        float[] allMissing = new float[FEATURES];
        java.util.Arrays.fill(allMissing, Float.NaN);
        rows.add(allMissing);
        XgboostOnnx.Trees trees = XgboostOnnx.read(booster);
        for (XgboostOnnx.Tree tree : trees.trees().subList(0, 3)) {
            for (int node = 0; node < tree.left().length; node++) {
                if (!tree.leaf(node)) {
                    float[] onThreshold = new float[FEATURES];
                    onThreshold[tree.feature()[node]] = tree.condition()[node];
                    rows.add(onThreshold);
                    float[] justBelow = onThreshold.clone();
                    justBelow[tree.feature()[node]] = Math.nextDown(tree.condition()[node]);
                    rows.add(justBelow);
                }
            }
        }
        return rows.toArray(float[][]::new);
    }

    private static float[][] run(byte[] onnx, float[][] rows, String output) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
            FloatBuffer flat = FloatBuffer.allocate(rows.length * FEATURES);
            for (float[] row : rows) {
                flat.put(row);
            }
            flat.flip();
            try (OnnxTensor input =
                            OnnxTensor.createTensor(env, flat, new long[] {rows.length, FEATURES});
                    OrtSession.Result result =
                            session.run(
                                    Map.of(XgboostOnnx.INPUT, input), java.util.Set.of(output))) {
                return (float[][]) result.get(0).getValue();
            }
        }
    }

    @Test
    void classifierProbabilitiesMatchBoosterPredictOnRowsWithMissingValues() throws Exception {
        XgbTrainer trainer =
                new XgbTrainer(XgbTrainer.Kind.BINARY, XgbTrainer.Settings.defaults(7));
        Booster booster = trainer.fit(data(600, 1, true), 3, 40);
        float baseScore = XgboostOnnx.read(booster).baseScore();
        assertThat(baseScore)
                .as("XGBoost 3 estimates the base score")
                .isNotCloseTo(0.5f, within(0.05f));

        float[][] rows = probeRows(booster);
        float[] expected = XgbTrainer.predict(booster, rows, 0);
        float[][] probabilities =
                run(
                        XgboostOnnx.classifier(booster, "test").toByteArray(),
                        rows,
                        XgboostOnnx.PROBABILITIES);

        assertThat(probabilities).hasNumberOfRows(rows.length);
        for (int i = 0; i < rows.length; i++) {
            assertThat(probabilities[i][1]).as("row %d", i).isCloseTo(expected[i], within(1e-6f));
            assertThat(probabilities[i][0])
                    .as("row %d", i)
                    .isCloseTo(1 - expected[i], within(1e-6f));
        }
        booster.dispose();
    }

    @Test
    void regressorValuesMatchBoosterPredictOnRowsWithMissingValues() throws Exception {
        XgbTrainer trainer =
                new XgbTrainer(XgbTrainer.Kind.REGRESSION, XgbTrainer.Settings.defaults(7));
        Booster booster = trainer.fit(data(600, 2, false), 4, 40);
        assertThat(XgboostOnnx.read(booster).baseScore())
                .as("the base score is the label mean, not 0.5")
                .isGreaterThan(5f);

        float[][] rows = probeRows(booster);
        float[] expected = XgbTrainer.predict(booster, rows, 0);
        float[][] values =
                run(XgboostOnnx.regressor(booster, "test").toByteArray(), rows, XgboostOnnx.VALUE);

        assertThat(values).hasNumberOfRows(rows.length);
        for (int i = 0; i < rows.length; i++) {
            assertThat(values[i]).hasSize(1);
            assertThat(values[i][0]).as("row %d", i).isCloseTo(expected[i], within(1e-5f));
        }
        booster.dispose();
    }

    @Test
    void predictingTheFirstRoundsEqualsABoosterTrainedForThatManyRounds() throws Exception {
        // the trainer chooses rounds on a prefix of a longer run, then refits: the two must agree
        XgbTrainer trainer =
                new XgbTrainer(XgbTrainer.Kind.BINARY, XgbTrainer.Settings.defaults(7));
        XgbTrainer.Data data = data(400, 3, true);
        Booster longer = trainer.fit(data, 3, 30);
        Booster shorter = trainer.fit(data, 3, 20);
        assertThat(XgbTrainer.predict(longer, data.x(), 20))
                .containsExactly(XgbTrainer.predict(shorter, data.x(), 0));
        longer.dispose();
        shorter.dispose();
    }
}
