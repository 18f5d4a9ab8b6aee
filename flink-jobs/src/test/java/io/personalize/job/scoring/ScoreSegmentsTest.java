package io.personalize.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.DecisionEngine;
import io.personalize.core.decisions.PolicySettings;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.segments.SegmentChange;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.Descriptors;
import io.personalize.job.config.ModelSettings;
import io.personalize.job.decisions.DecisionInput;
import io.personalize.job.decisions.DecisionInputSerializer;
import io.personalize.job.decisions.DecisionOperator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Score segments in the scoring operator: a customer scored above a threshold enters, the change
 * goes to the segment_changes side output and into the moment, and a flow triggered by {@code
 * segment_entered} on it decides; memberships survive a snapshot; batching does not change them.
 */
class ScoreSegmentsTest {
    private static final String MODEL = "propensity";
    private static final double THRESHOLD = 0.7;

    /** Noon UTC: outside the default quiet hours. */
    private static final long T1 = Instant.parse("2025-03-03T12:00:00Z").toEpochMilli();

    private static final long T2 = T1 + Duration.ofHours(1).toMillis();
    private static final long T3 = T2 + Duration.ofHours(1).toMillis();

    private static final SegmentDefinitions SEGMENTS =
            SegmentDefinitions.parse(
                    """
                    version: 4
                    segments:
                      - id: buyers
                        name: Buyers this month
                        rule: "orders_30d >= 1"
                      - id: likely_buyers
                        name: Likely to buy again
                        rule: "in_segment('buyers') && score('propensity') > %s"
                    """
                            .formatted(THRESHOLD));

    private static final FlowDefinitions FLOWS =
            FlowDefinitions.parse(
                    """
                    version: 1
                    flows:
                      - id: likely_buyer_offer
                        trigger: {segment_entered: likely_buyers}
                        endpoint: esp
                        template: tpl_offer
                    """);

    @TempDir Path dir;

    /** What the scoring operator handed on and wrote beside. */
    private record Run(List<DecisionInput> moments, List<SegmentChange> changes) {}

    @Test
    void aCustomerScoredAboveTheThresholdEntersTheRowIsEmittedAndASegmentEnteredFlowDecides()
            throws Exception {
        CustomerFeatures low = customer("a", T1, 1, 0.1, 200L); // a buyer, scored low
        CustomerFeatures high = customer("a", T2, 4, 1.0, 5L); // a buyer, scored high
        CustomerFeatures noBuyer = customer("b", T2, 0, 3.0, 5L); // scored high, not a buyer
        assertThat(LogisticModels.V1.score(low)).isLessThan(THRESHOLD);
        assertThat(LogisticModels.V1.score(high)).isGreaterThan(THRESHOLD);
        assertThat(LogisticModels.V1.score(noBuyer)).isGreaterThan(THRESHOLD);

        Run run = score(100, List.of(low, high, noBuyer));

        assertThat(run.changes()).hasSize(1);
        SegmentChange entered = run.changes().get(0);
        assertThat(entered.customerKey).isEqualTo("a");
        assertThat(entered.segmentId).isEqualTo("likely_buyers");
        assertThat(entered.change).isEqualTo(SegmentChange.ENTERED);
        assertThat(entered.membership).isEqualTo("member");
        assertThat(entered.eventTime).isEqualTo(T2);
        assertThat(entered.ruleVersion).isEqualTo(4);

        List<DecisionInput> moments =
                run.moments().stream().map(ScoreSegmentsTest::roundTrip).toList();
        assertThat(moments.get(0).features.segments).containsExactly("buyers");
        assertThat(moments.get(0).features.segmentChanges).isNull();
        assertThat(moments.get(1).features.segments).containsExactly("buyers", "likely_buyers");
        assertThat(moments.get(1).features.segmentChanges).containsExactly(entered);
        assertThat(moments.get(2).features.segments).isEmpty();
        // the customer stage's own object is left as it was (object reuse: others may hold it)
        assertThat(high.segments).containsExactly("buyers");
        assertThat(high.segmentChanges).isNull();

        List<Decision> decisions = decide(moments);
        assertThat(decisions).hasSize(1);
        Decision decision = decisions.get(0);
        assertThat(decision.customerKey).isEqualTo("a");
        assertThat(decision.flowId).isEqualTo("likely_buyer_offer");
        assertThat(decision.outcome).isEqualTo("to_send");
    }

    @Test
    void membershipsSurviveASnapshotSoARestoredJobDoesNotEnterAgainButExitsWhenTheScoreFalls()
            throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(100)) {
            h.open();
            process(h, customer("a", T1, 4, 1.0, 5L));
            h.processWatermark(new Watermark(T1));
            assertThat(changes(h)).extracting(c -> c.change).containsExactly("entered");
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(100)) {
            h.initializeState(snapshot);
            h.open();
            process(h, customer("a", T2, 5, 1.0, 5L)); // still high: no change
            process(h, customer("a", T3, 1, 0.0, 200L)); // low: exits
            h.processWatermark(new Watermark(T3));
            List<SegmentChange> changes = changes(h);
            assertThat(changes).extracting(c -> c.change).containsExactly("exited");
            assertThat(changes.get(0).eventTime).isEqualTo(T3);
            assertThat(changes.get(0).membership).isEqualTo("not_member");
        }
    }

    @Test
    void theSameMomentsGiveTheSameChangesAndSegmentsWhateverTheBatchSize() throws Exception {
        List<CustomerFeatures> input = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String key = "c" + (i % 4);
            input.add(customer(key, T1 + i * 60_000L, i % 5, (i % 3) * 0.6, (long) (i * 7)));
        }
        Run one = score(1, copies(input));
        Run many = score(64, copies(input));

        assertThat(one.changes()).isNotEmpty();
        assertThat(one.changes())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("processedAt")
                .containsExactlyElementsOf(many.changes());
        assertThat(one.moments())
                .extracting(m -> m.features.segments)
                .containsExactlyElementsOf(
                        many.moments().stream().map(m -> m.features.segments).toList());
    }

    private Run score(int batchSize, List<CustomerFeatures> moments) throws Exception {
        try (var h = harness(batchSize)) {
            h.open();
            for (CustomerFeatures f : moments) {
                process(h, f);
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE - 1));
            return new Run(h.extractOutputValues(), changes(h));
        }
    }

    private List<Decision> decide(List<DecisionInput> moments) throws Exception {
        DecisionOperator operator =
                new DecisionOperator(
                        FLOWS,
                        SEGMENTS,
                        new DecisionEngine(PolicySettings.DEFAULTS),
                        Duration.ofMinutes(5),
                        null,
                        Duration.ofSeconds(1));
        try (var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        operator,
                        (DecisionInput in) -> in.customerKey,
                        (DecisionInput in) -> in.customerKey,
                        Types.STRING)) {
            h.open();
            for (DecisionInput moment : moments) {
                h.processElement1(new StreamRecord<>(moment, moment.features.asOf));
            }
            h.processWatermark1(new Watermark(T3));
            h.processWatermark2(new Watermark(T3));
            return h.extractOutputValues();
        }
    }

    private KeyedOneInputStreamOperatorTestHarness<String, CustomerFeatures, DecisionInput> harness(
            int batchSize) throws Exception {
        String path = LogisticModels.write(dir, MODEL, "1", LogisticModels.V1, false);
        Path registry =
                LogisticModels.registry(
                        dir,
                        "models:\n  "
                                + MODEL
                                + ":\n    champion: {path: "
                                + path
                                + ", version: \"1\"}\n");
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new ScoringOperator(settings(registry, batchSize), SEGMENTS),
                (CustomerFeatures f) -> f.customerKey,
                Types.STRING);
    }

    private static void process(
            KeyedOneInputStreamOperatorTestHarness<String, CustomerFeatures, DecisionInput> h,
            CustomerFeatures f)
            throws Exception {
        h.processElement(new StreamRecord<>(f, f.asOf));
    }

    private static List<SegmentChange> changes(
            KeyedOneInputStreamOperatorTestHarness<String, CustomerFeatures, DecisionInput> h) {
        var side = h.getSideOutput(Descriptors.SEGMENT_CHANGES);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    /** A moment as the customer stage emits it: its base segments already evaluated. */
    private static CustomerFeatures customer(
            String key, long asOf, long orders, double engagement, Long days) {
        CustomerFeatures f = LogisticModels.features(key, asOf, orders, engagement, days);
        f.emailConsent = "true";
        f.segments = orders >= 1 ? List.of("buyers") : List.of();
        return f;
    }

    private static List<CustomerFeatures> copies(List<CustomerFeatures> moments) {
        return moments.stream().map(CustomerFeatures::shallowCopy).toList();
    }

    private static DecisionInput roundTrip(DecisionInput in) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            DecisionInputSerializer.INSTANCE.serialize(in, out);
            return DecisionInputSerializer.INSTANCE.deserialize(
                    new DataInputDeserializer(out.getCopyOfBuffer()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ModelSettings settings(Path registry, int batchSize) {
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
}
