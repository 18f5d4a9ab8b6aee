package io.personalize.job.scoring;

import static io.personalize.job.scoring.LogisticModels.CHALLENGER;
import static io.personalize.job.scoring.LogisticModels.V1;
import static io.personalize.job.scoring.LogisticModels.V2;
import static io.personalize.job.scoring.LogisticModels.features;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.job.Descriptors;
import io.personalize.job.config.ModelSettings;
import io.personalize.job.decisions.DecisionInput;
import io.personalize.models.ModelRegistryUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringOperatorTest {
    @TempDir Path dir;

    private ModelSettings settings(Path registry, int batchSize) {
        return new ModelSettings(
                true,
                registry.toString(),
                false,
                Duration.ofSeconds(1),
                batchSize,
                Duration.ofSeconds(5),
                1,
                Duration.ofMinutes(1),
                1.0,
                Duration.ZERO);
    }

    private Path registryWith(String champion, String challenger) throws Exception {
        return LogisticModels.registry(
                dir,
                "models:\n  propensity:\n    champion: {path: "
                        + champion
                        + ", version: \""
                        + champion.split("/")[1]
                        + "\"}\n"
                        + (challenger == null
                                ? ""
                                : "    challenger: {path: "
                                        + challenger
                                        + ", version: \""
                                        + challenger.split("/")[1]
                                        + "\"}\n")
                        + "    fallback: {base: 0.1, weights: {orders_30d: 0.2}, min: 0, max: 1}\n");
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CustomerFeatures, DecisionInput>
            harness(ScoringOperator operator) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                operator, (CustomerFeatures f) -> f.customerKey, Types.STRING);
    }

    /**
     * What a moment carries of a score to the decisions (the scores table has all of it): model,
     * version, score, label and whether it is a fallback.
     */
    private static String carried(CustomerScore s) {
        return s.model + " " + s.version + " " + s.score + " " + s.label + " " + s.fallback;
    }

    /** Every score made, in order (the scores table's side output). */
    private static List<CustomerScore> scores(AbstractStreamOperatorTestHarness<DecisionInput> h) {
        var records = h.getSideOutput(Descriptors.SCORES);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    private static StreamRecord<CustomerFeatures> record(CustomerFeatures f) {
        return new StreamRecord<>(f, f.asOf);
    }

    @Test
    void pendingCustomersAreScoredBeforeTheWatermarkGoesOn() throws Exception {
        Path registry = registryWith(LogisticModels.write(dir, "propensity", "1", V1, false), null);
        try (var h = harness(new ScoringOperator(settings(registry, 100)))) {
            h.open();
            CustomerFeatures a = features("a", 1_000, 3, 0.4, 12L);
            CustomerFeatures b = features("b", 1_500, 0, 0.0, null);
            h.processElement(record(a));
            h.processElement(record(b));
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(new Watermark(2_000));

            List<Object> output = List.copyOf(h.getOutput());
            assertThat(output).hasSize(3);
            assertThat(output.get(2)).isEqualTo(new Watermark(2_000));
            List<CustomerScore> scores = scores(h);
            assertThat(h.extractOutputValues())
                    .extracting(in -> carried(in.scores.get("propensity")))
                    .containsExactlyElementsOf(
                            scores.stream().map(ScoringOperatorTest::carried).toList());
            assertThat(scores).extracting(s -> s.customerKey).containsExactly("a", "b");
            assertThat(scores.get(0).score).isCloseTo(V1.score(a), within(1e-6));
            assertThat(scores.get(0).imputed).isEmpty();
            assertThat(scores.get(1).score).isCloseTo(V1.score(b), within(1e-6));
            assertThat(scores.get(1).imputed).containsExactly("days_since_last_purchase");
            assertThat(scores)
                    .allSatisfy(
                            s -> {
                                assertThat(s.version).isEqualTo("1");
                                assertThat(s.role).isEqualTo(CustomerScore.CHAMPION);
                                assertThat(s.fallback).isFalse();
                            });
            assertThat(scores.get(0).label).isEqualTo(V1.score(a) >= 0.5 ? "1" : "0");
        }
    }

    @Test
    void everyMomentLeavesInOrderWithTheScoresOfItsOwnFeaturesAndUnchangedInputsAreNotScoredAgain()
            throws Exception {
        Path registry = registryWith(LogisticModels.write(dir, "propensity", "1", V1, false), null);
        try (var h = harness(new ScoringOperator(settings(registry, 2)))) {
            h.open();
            CustomerFeatures firstA = features("a", 1_000, 1, 0.1, 5L);
            CustomerFeatures latestA = features("a", 1_100, 2, 0.1, 0L);
            h.processElement(record(firstA));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement(record(latestA)); // two to score: the batch is full

            assertThat(h.extractOutputValues())
                    .extracting(in -> in.features.asOf + " " + in.scores.get("propensity").score)
                    .containsExactly(
                            "1000 " + scores(h).get(0).score, "1100 " + scores(h).get(1).score);
            assertThat(scores(h).get(0).score).isCloseTo(V1.score(firstA), within(1e-6));
            assertThat(scores(h).get(1).score).isCloseTo(V1.score(latestA), within(1e-6));

            // the same inputs later (another event moved nothing the model reads): no new score
            h.processElement(record(features("a", 1_200, 2, 0.1, 0L)));
            assertThat(scores(h)).hasSize(2);
            DecisionInput reused = h.extractOutputValues().get(2);
            assertThat(reused.features.asOf).isEqualTo(1_200);
            assertThat(carried(reused.scores.get("propensity")))
                    .isEqualTo(carried(scores(h).get(1)));
        }
    }

    @Test
    void aPartialBatchIsScoredWhenItsTimeoutPasses() throws Exception {
        Path registry = registryWith(LogisticModels.write(dir, "propensity", "1", V1, false), null);
        try (var h = harness(new ScoringOperator(settings(registry, 100)))) {
            h.setProcessingTime(0);
            h.open();
            h.processElement(record(features("a", 1_000, 1, 0.1, 5L)));
            h.setProcessingTime(4_999);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(5_000);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(scores(h)).hasSize(1);
        }
    }

    @Test
    void aRestoredJobServesTheCheckpointedVersionAndLosesNoPendingCustomer() throws Exception {
        Path registry = registryWith(LogisticModels.write(dir, "propensity", "1", V1, false), null);
        OperatorSubtaskState state;
        try (var h = harness(new ScoringOperator(settings(registry, 100)))) {
            h.open();
            h.processElement(record(features("a", 1_000, 3, 0.4, 12L)));
            h.prepareSnapshotPreBarrier(1); // as the task does before the barrier goes on
            state = h.snapshot(1, 1);
            // the pending customer was scored before the barrier, not left in the batch
            assertThat(h.extractOutputValues())
                    .extracting(in -> in.customerKey)
                    .containsExactly("a");
        }
        // the registry file now names version 2; the restored job keeps version 1
        registryWith(LogisticModels.write(dir, "propensity", "2", V2, false), null);
        try (var h = harness(new ScoringOperator(settings(registry, 100)))) {
            h.initializeState(state);
            h.open();
            CustomerFeatures b = features("b", 2_000, 1, 0.2, 3L);
            h.processElement(record(b));
            h.endInput();
            assertThat(scores(h))
                    .singleElement()
                    .satisfies(
                            s -> {
                                assertThat(s.version).isEqualTo("1");
                                assertThat(s.score).isCloseTo(V1.score(b), within(1e-6));
                            });
        }
    }

    @Test
    void aChampionThatCannotLoadIsScoredByTheFallbackRuleAndDeadLettered() throws Exception {
        Path registry = registryWith("propensity/7/model.onnx", null); // no such file
        try (var h = harness(new ScoringOperator(settings(registry, 100)))) {
            h.open();
            h.processElement(record(features("a", 1_000, 3, 0.4, 12L)));
            h.endInput();
            CustomerScore s = scores(h).get(0);
            assertThat(carried(h.extractOutputValues().get(0).scores.get("propensity")))
                    .isEqualTo(carried(s));
            assertThat(s.fallback).isTrue();
            assertThat(s.version).isEqualTo("7");
            assertThat(s.score).isCloseTo(0.1 + 0.2 * 3, within(1e-9));
            assertThat(s.fallbackReason).contains("cannot read propensity/7/model.onnx");
            assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS))
                    .extracting(r -> ((DeadLetter) r.getValue()).reason)
                    .containsExactly("invalid_model");
        }
    }

    @Test
    void aWatchedRegistrySwapsTheChampionRefusesABrokenVersionAndScoresAChallengerInTheShadow()
            throws Exception {
        String v1 = LogisticModels.write(dir, "propensity", "1", V1, false);
        Path registry = registryWith(v1, null);
        ModelSettings watched = settings(registry, 100);
        try (var h =
                new KeyedTwoInputStreamOperatorTestHarness<
                        String, CustomerFeatures, ModelRegistryUpdate, DecisionInput>(
                        new WatchedScoringOperator(watched),
                        (CustomerFeatures in) -> in.customerKey,
                        null,
                        Types.STRING)) {
            h.open();
            CustomerFeatures f = features("a", 1_000, 3, 0.4, 12L);

            // v2 arrives: it serves from the next batch on
            registryWith(LogisticModels.write(dir, "propensity", "2", V2, false), null);
            h.processElement2(new StreamRecord<>(ModelRegistryUpdate.read(registry, 1)));
            h.processElement1(record(f));
            h.endInput1();
            assertThat(last(h).version).isEqualTo("2");
            assertThat(last(h).score).isCloseTo(V2.score(f), within(1e-6));

            // v3 fails its golden example: refused, v2 keeps serving
            registryWith(LogisticModels.write(dir, "propensity", "3", V1, true), null);
            h.processElement2(new StreamRecord<>(ModelRegistryUpdate.read(registry, 2)));
            assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS))
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(((DeadLetter) r.getValue()).message)
                                            .contains("propensity 3", "golden example 1"));
            h.processElement1(record(features("a", 2_000, 3, 0.4, 12L)));
            h.processWatermark1(new Watermark(2_000));
            assertThat(last(h).version).isEqualTo("2");
            assertThat(last(h).fallback).isFalse();

            // a challenger joins: both scores, only one of them the champion's
            registryWith(
                    "propensity/2/model.onnx",
                    LogisticModels.write(dir, "propensity", "c1", CHALLENGER, false));
            h.processElement2(new StreamRecord<>(ModelRegistryUpdate.read(registry, 3)));
            CustomerFeatures g = features("b", 3_000, 1, 0.9, null);
            h.processElement1(record(g));
            h.processWatermark1(new Watermark(3_000));
            List<CustomerScore> forB =
                    scores(h).stream().filter(s -> Objects.equals(s.customerKey, "b")).toList();
            assertThat(forB)
                    .extracting(s -> s.role + " " + s.version)
                    .containsExactly("champion 2", "shadow c1");
            assertThat(forB.get(1).score).isCloseTo(CHALLENGER.score(g), within(1e-6));
        }
    }

    private static CustomerScore last(AbstractStreamOperatorTestHarness<DecisionInput> h) {
        List<CustomerScore> scores = scores(h);
        return scores.get(scores.size() - 1);
    }
}
