package io.personalize.models;

import static io.personalize.models.testing.TestModels.classifierProbabilities;
import static io.personalize.models.testing.TestModels.logisticScore;
import static io.personalize.models.testing.TestModels.nearestCentroid;
import static io.personalize.models.testing.TestModels.perFeatureValue;
import static io.personalize.models.testing.TestModels.regressorValue;
import static io.personalize.models.testing.TestModels.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.models.testing.TestModels;
import io.personalize.models.testing.TestModels.TestModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelTest {
    private static final double EPS = 1e-6;

    /** Rows for the logistic models: (orders_30d, revenue_90d, days_since_last_purchase). */
    private static final double[][] LOGISTIC_ROWS = {
        {2, 120.5, 3}, {0, 10, 60}, {5, 300, 1}, {1, 0, 200}, {3, 80, 20}
    };

    private static OnnxModel load(TestModel m) throws ModelException {
        return OnnxModel.load(m.onnx(), m.card(), 1);
    }

    private static List<float[]> rows(double[][] values) {
        List<float[]> rows = new ArrayList<>();
        for (double[] v : values) {
            rows.add(row(v));
        }
        return rows;
    }

    private static void assertLogisticScores(List<Prediction> predictions) {
        assertThat(predictions).hasSize(LOGISTIC_ROWS.length);
        for (int i = 0; i < LOGISTIC_ROWS.length; i++) {
            double[] r = LOGISTIC_ROWS[i];
            double expected = logisticScore(r[0], r[1], r[2]);
            assertThat(predictions.get(i).score()).isCloseTo(expected, within(EPS));
            assertThat(predictions.get(i).label()).isEqualTo(expected >= 0.5 ? "1" : "0");
        }
    }

    @Test
    void probabilityTensorFromStandardOperatorsScoresTheSigmoidOfTheLinearModel() throws Exception {
        try (OnnxModel model = load(TestModels.logistic())) {
            assertThat(model.fixedBatch()).isFalse();
            assertLogisticScores(model.score(rows(LOGISTIC_ROWS)));
        }
    }

    @Test
    void zipMapSequenceOfMapsNamedOutputProbabilityIsReadByLabel() throws Exception {
        try (OnnxModel model = load(TestModels.linearClassifierZipMap())) {
            assertLogisticScores(model.score(rows(LOGISTIC_ROWS)));
        }
    }

    @Test
    void scalerAndTreeEnsembleRegressorOutputVariableIsTheValueOfTheLeavesReached()
            throws Exception {
        double[][] values = {
            {2, 120, 0.2, 7}, // revenue <= 150, days <= 14: 5 + 10 + 0
            {2, 120, 0.2, 30}, // revenue <= 150, days > 14: 5 + 2 + 0
            {3, 400, 0.9, 30}, // revenue > 150, orders <= 3: 5 + 40 + 3
            {4, 400, 0.6, 30}, // revenue > 150, orders > 3: 5 + 90 + 3
        };
        double[] expected = {15, 7, 48, 98};
        try (OnnxModel model = load(TestModels.scalerTreeRegressor())) {
            List<Prediction> predictions = model.score(rows(values));
            for (int i = 0; i < values.length; i++) {
                double[] v = values[i];
                assertThat(regressorValue(v[0], v[1], v[2], v[3])).isEqualTo(expected[i]);
                assertThat(predictions.get(i).score()).isCloseTo(expected[i], within(EPS));
                assertThat(predictions.get(i).label()).isNull();
            }
        }
    }

    @Test
    void nanDefaultReachesATreeAsMissingAndFollowsItsMissingValueBranch() throws Exception {
        try (OnnxModel model = load(TestModels.scalerTreeRegressor())) {
            FeatureVectorizer.Row row =
                    model.vectorizer()
                            .row(
                                    Map.of(
                                            "orders_30d", 1.0,
                                            "revenue_90d", 50.0,
                                            "engagement_score", 0.1));
            assertThat(row.values()[3]).isNaN();
            assertThat(row.imputed()).containsExactly("days_since_last_purchase");
            // NaN <= 14 is false: without the missing-value tracking the row would get 5 + 2
            assertThat(model.score(List.of(row.values())).get(0).score())
                    .isCloseTo(15.0, within(EPS));
        }
    }

    @Test
    void classLabelsOneToFiveAreMappedFromPositionsInATensorAndFromZipMapKeys() throws Exception {
        double[][] values = {{3, 0.2}, {1, 0.9}, {12, 0.4}, {6, 0.7}, {0, 0}};
        String[] labels = {"1", "3", "4", "5", "1"};
        for (boolean zipMap : new boolean[] {false, true}) {
            try (OnnxModel model = load(TestModels.treeClassifier(zipMap))) {
                List<Prediction> predictions = model.score(rows(values));
                for (int i = 0; i < values.length; i++) {
                    double[] p = classifierProbabilities(values[i][0], values[i][1]);
                    int best = 0;
                    for (int c = 1; c < p.length; c++) {
                        best = p[c] > p[best] ? c : best;
                    }
                    assertThat(String.valueOf(best + 1)).isEqualTo(labels[i]);
                    assertThat(predictions.get(i).label())
                            .as("zipMap %s row %s", zipMap, i)
                            .isEqualTo(labels[i]);
                    assertThat(predictions.get(i).score()).isCloseTo(p[best], within(EPS));
                }
            }
        }
    }

    @Test
    void fixedBatchOfOneModelScoresSeveralRowsOneAtATime() throws Exception {
        try (OnnxModel model = load(TestModels.logistic(true))) {
            assertThat(model.fixedBatch()).isTrue();
            assertLogisticScores(model.score(rows(LOGISTIC_ROWS)));
        }
    }

    @Test
    void oneInputPerFeatureIsFedByNameWhateverOrderTheGraphDeclares() throws Exception {
        double[][] values = {{3, 0.5, 8}, {0, 0, 0}, {7, 0.25, 2}};
        try (OnnxModel model = load(TestModels.perFeature())) {
            List<Prediction> predictions = model.score(rows(values));
            for (int i = 0; i < values.length; i++) {
                double[] v = values[i];
                assertThat(predictions.get(i).score())
                        .isCloseTo(perFeatureValue(v[0], v[1], v[2]), within(1e-5));
            }
        }
    }

    @Test
    void clusteringInt64LabelIsTheNearestCentroidNamedByTheCard() throws Exception {
        double[][] values = {{1, 10}, {3, 120}, {12, 900}, {0, 0}, {9, 700}};
        try (OnnxModel model = load(TestModels.clustering())) {
            List<Prediction> predictions = model.score(rows(values));
            for (int i = 0; i < values.length; i++) {
                int cluster = nearestCentroid(values[i][0], values[i][1]);
                assertThat(predictions.get(i))
                        .isEqualTo(new Prediction(cluster, TestModels.CLUSTER_LABELS.get(cluster)));
            }
        }
    }

    @Test
    void batchedAndSingleRowScoresAreIdenticalForEveryModel() throws Exception {
        for (TestModel m : TestModels.all().values()) {
            try (OnnxModel model = load(m)) {
                List<float[]> rows = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    float[] r = new float[model.vectorizer().width()];
                    for (int f = 0; f < r.length; f++) {
                        r[f] = (float) ((i * 37 + f * 11) % 17) * (f + 1) * (i % 2 == 0 ? 1 : 13);
                    }
                    rows.add(r);
                }
                List<Prediction> batched = model.score(rows);
                List<Prediction> single = new ArrayList<>();
                for (float[] r : rows) {
                    single.addAll(model.score(List.of(r)));
                }
                assertThat(batched).as(m.card().name()).hasSize(rows.size()).isEqualTo(single);
            }
        }
    }

    @Test
    void vectorizerImputesNullFeaturesWithTheCardDefaultAndNamesThem() throws Exception {
        try (OnnxModel model = load(TestModels.logistic())) {
            CustomerFeatures features = new CustomerFeatures();
            features.orders30d = 2;
            features.revenue90d = 120.5;
            features.daysSinceLastPurchase = null;

            FeatureVectorizer.Row row = model.vectorizer().row(features);

            assertThat(row.values()).containsExactly(2f, 120.5f, 60f);
            assertThat(row.imputed()).containsExactly("days_since_last_purchase");
            assertThat(model.score(List.of(row.values())).get(0).score())
                    .isCloseTo(logisticScore(2, 120.5, 60), within(EPS));

            features.daysSinceLastPurchase = 3L;
            FeatureVectorizer.Row known = model.vectorizer().row(features);
            assertThat(known.values()).containsExactly(2f, 120.5f, 3f);
            assertThat(known.imputed()).isEmpty();
        }
    }

    @Test
    void modelIsLoadedWithTheCardNextToIt(@TempDir Path dir) throws Exception {
        Path file = TestModels.linearClassifierZipMap().write(dir, "propensity");
        try (OnnxModel model = OnnxModel.load(file, 1)) {
            assertThat(model.card()).isEqualTo(TestModels.linearClassifierZipMap().card());
            assertThat(model.score(List.of(row(2, 120.5, 3))).get(0).score())
                    .isCloseTo(logisticScore(2, 120.5, 3), within(EPS));
        }
    }

    @Test
    void rowOfTheWrongWidthIsRefusedNamingTheWidths() throws Exception {
        try (OnnxModel model = load(TestModels.logistic())) {
            assertThatThrownBy(() -> model.score(List.of(row(1, 2, 3), row(1, 2))))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("propensity 1")
                    .hasMessageContaining("row 2 has 2 values, the model reads 3");
        }
    }
}
