package io.personalize.job.scoring;

import static io.personalize.models.testing.TestModels.classifierProbabilities;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.flows.Flow;
import io.personalize.core.flows.FlowCompiler;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.job.Descriptors;
import io.personalize.job.config.ModelSettings;
import io.personalize.job.decisions.DecisionInput;
import io.personalize.job.decisions.DecisionInputSerializer;
import io.personalize.models.testing.TestModels;
import io.personalize.tables.rows.ScoreRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multiclass model (labels 1..5) served by the scoring operator: the probability of every class
 * reaches the scores side output and its table row, the moment handed to the decisions (across the
 * network too), and a flow rule reading one class with {@code score_of}.
 */
class EveryClassProbabilityTest {
    private static final String MODEL = "next_category";
    private static final List<String> LABELS = List.of("1", "2", "3", "4", "5");

    @TempDir Path dir;

    @Test
    void everyClassProbabilityReachesTheScoresRowTheDecisionsAndAScoreOfRule() throws Exception {
        Path version = Files.createDirectories(dir.resolve(MODEL + "/1"));
        TestModels.treeClassifier(false).write(version, "model");
        Path registry =
                LogisticModels.registry(
                        dir,
                        "models:\n  "
                                + MODEL
                                + ":\n    champion: {path: "
                                + MODEL
                                + "/1/model.onnx, version: \"1\"}\n");
        CustomerFeatures many = customer("many_views", 12, 0.4); // class 4 at 0.8
        CustomerFeatures few = customer("few_views", 3, 0.2); // class 1 at 0.7

        List<DecisionInput> moments;
        List<CustomerScore> scores;
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new ScoringOperator(settings(registry)),
                        (CustomerFeatures f) -> f.customerKey,
                        Types.STRING)) {
            h.open();
            h.processElement(new StreamRecord<>(many, many.asOf));
            h.processElement(new StreamRecord<>(few, few.asOf));
            h.processWatermark(new Watermark(10_000));
            moments = h.extractOutputValues();
            scores =
                    h.getSideOutput(Descriptors.SCORES).stream()
                            .map(StreamRecord::getValue)
                            .toList();
        }

        assertThat(scores).hasSize(2);
        for (int i = 0; i < 2; i++) {
            CustomerFeatures f = i == 0 ? many : few;
            Map<String, Double> expected = byHand(f);
            CustomerScore score = scores.get(i);
            assertThat(score.customerKey).isEqualTo(f.customerKey);
            assertThat(score.probabilities).containsExactlyEntriesOf(expected);

            // the scores table's row: the map column, in label order
            MapData column = ScoreRows.toRow(score).getMap(12);
            assertThat(column.size()).isEqualTo(LABELS.size());
            for (int c = 0; c < LABELS.size(); c++) {
                assertThat(column.keyArray().getString(c).toString()).isEqualTo(LABELS.get(c));
                assertThat(column.valueArray().getDouble(c)).isEqualTo(expected.get(LABELS.get(c)));
            }

            // what the decisions read, after the network's serializer
            DecisionInput moment = roundTrip(moments.get(i));
            assertThat(moment.scores.get(MODEL).probabilities).containsExactlyEntriesOf(expected);
        }
        RowData noClasses = ScoreRows.toRow(new CustomerScore());
        assertThat(noClasses.isNullAt(12)).isTrue();

        Flow flow =
                FlowCompiler.standard()
                        .withModels(Set.of(MODEL))
                        .compile(
                                """
                                version: 1
                                flows:
                                  - id: category_four
                                    trigger: {pattern: cart_abandoned}
                                    conditions:
                                      - score_of('next_category', '4') > 0.5
                                    endpoint: esp
                                    template: t
                                """)
                        .flows()
                        .get(0);
        DecisionInput manyMoment = roundTrip(moments.get(0));
        DecisionInput fewMoment = roundTrip(moments.get(1));
        assertThat(flow.failedConditions(manyMoment.features, manyMoment.scores)).isEmpty();
        assertThat(flow.failedConditions(fewMoment.features, fewMoment.scores))
                .containsExactly("score_of('next_category', '4') > 0.5");
    }

    @Test
    void classTheModelDoesNotHaveIsUnknownSoTheRuleDoesNotHold() throws Exception {
        Flow flow =
                FlowCompiler.standard()
                        .withModels(Set.of(MODEL))
                        .compile(
                                """
                                version: 1
                                flows:
                                  - id: unknown_class
                                    trigger: {pattern: cart_abandoned}
                                    conditions:
                                      - score_of('next_category', '9') >= 0.0
                                      - "!(score_of('next_category', '9') < 0.0)"
                                    endpoint: esp
                                    template: t
                                """)
                        .flows()
                        .get(0);
        CustomerScore score = new CustomerScore();
        score.model = MODEL;
        score.probabilities = byHand(customer("c", 12, 0.4));
        CustomerFeatures f = customer("c", 12, 0.4);
        assertThat(flow.failedConditions(f, Map.of(MODEL, score))).hasSize(2);
    }

    /** The tree's probabilities for the customer, as the model's floats. */
    private static Map<String, Double> byHand(CustomerFeatures f) {
        double[] p = classifierProbabilities(f.productViews7d, f.engagementScore);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) {
            out.put(LABELS.get(c), (double) (float) p[c]);
        }
        return out;
    }

    private static DecisionInput roundTrip(DecisionInput in) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        DecisionInputSerializer.INSTANCE.serialize(in, out);
        return DecisionInputSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static CustomerFeatures customer(String key, long views, double engagement) {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = key;
        f.customerId = key;
        f.asOf = 1_000;
        f.productViews7d = views;
        f.engagementScore = engagement;
        return f;
    }

    private static ModelSettings settings(Path registry) {
        return new ModelSettings(
                true,
                registry.toString(),
                false,
                Duration.ofSeconds(1),
                100,
                Duration.ofSeconds(5),
                1,
                Duration.ofMinutes(1),
                1.0,
                Duration.ZERO);
    }
}
