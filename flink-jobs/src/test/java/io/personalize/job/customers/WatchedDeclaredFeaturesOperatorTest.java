package io.personalize.job.customers;

import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.segments.SegmentChange;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.testing.Events;
import io.personalize.job.Descriptors;
import io.personalize.job.events.CustomerKeySelector;
import io.personalize.job.segments.SegmentRulesUpdate;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Declared-features readings in the watched customer operator, on Flink's test harness: a segment
 * reading that names a feature only a later features file adds is refused, then applies once that
 * file does; a window added at runtime counts from the change; what was applied survives a snapshot
 * and restore.
 */
class WatchedDeclaredFeaturesOperatorTest {
    private static final String FEATURES_V1 = "version: 1\nfeatures: []\n";
    private static final String FEATURES_V2 =
            """
            version: 2
            features:
              - name: support_calls_7d
                kind: window
                aggregate: count
                where: event.event_type == 'custom' && event.custom.type == 'support_call'
                window: 7d
            """;
    private static final String SEGMENTS_V1 =
            """
            version: 1
            segments:
              - id: buyers
                name: Buyers
                rule: lifetime_orders > 0
            """;
    private static final String SEGMENTS_V2 =
            SEGMENTS_V1.replace("version: 1", "version: 2")
                    + """
                      - id: callers
                        name: Callers
                        rule: support_calls_7d >= 2
                    """;

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, Event, SegmentRulesUpdate, CustomerFeatures>
            harness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new WatchedCustomerOperator(
                        new FeatureEngine(
                                FeatureConfig.defaults(), DeclaredFeatures.parse(FEATURES_V1)),
                        Duration.ofDays(400),
                        null,
                        SegmentDefinitions.parse(SEGMENTS_V1)),
                new CustomerKeySelector(),
                null,
                Types.STRING);
    }

    private static SegmentRulesUpdate reading(String kind, String text) {
        SegmentRulesUpdate update = SegmentRulesUpdate.of(kind + ".yaml", text, 0L);
        update.kind = kind;
        return update;
    }

    private static void call(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, Event, SegmentRulesUpdate, CustomerFeatures>
                    h,
            long at)
            throws Exception {
        Event e = Events.event(EventType.CUSTOM, at);
        e.payload = "{\"event_type\":\"custom\",\"custom\":{\"type\":\"support_call\"}}";
        h.processElement1(new StreamRecord<>(e, at));
    }

    private static List<String> changes(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, Event, SegmentRulesUpdate, CustomerFeatures>
                    h) {
        var records = h.getSideOutput(Descriptors.SEGMENT_CHANGES);
        return records == null
                ? List.of()
                : records.stream()
                        .map(r -> (SegmentChange) r.getValue())
                        .map(c -> c.segmentId + " " + c.change + " v" + c.ruleVersion)
                        .toList();
    }

    private static List<String> deadLetters(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, Event, SegmentRulesUpdate, CustomerFeatures>
                    h) {
        var records = h.getSideOutput(Descriptors.DEAD_LETTERS);
        return records == null
                ? List.of()
                : records.stream()
                        .map(r -> (DeadLetter) r.getValue())
                        .map(d -> d.reason + ": " + d.message)
                        .toList();
    }

    @Test
    void segmentsReadBeforeTheFeaturesTheyNameApplyOnceTheFeaturesDo() throws Exception {
        try (var h = harness()) {
            h.open();
            call(h, T0); // before the window is declared: never counted

            h.processElement2(new StreamRecord<>(reading(null, SEGMENTS_V2)));
            h.processElement2(new StreamRecord<>(reading(null, SEGMENTS_V2))); // polled again
            h.processElement2(
                    new StreamRecord<>(reading(SegmentRulesUpdate.DECLARED_FEATURES, FEATURES_V2)));
            h.processElement2(new StreamRecord<>(reading(null, SEGMENTS_V2))); // next poll
            call(h, T0 + DAY);
            List<String> afterOneCall = changes(h);
            call(h, T0 + 2 * DAY);

            assertThat(deadLetters(h))
                    .singleElement()
                    .satisfies(
                            d ->
                                    assertThat(d)
                                            .startsWith("invalid_segment_rules")
                                            .contains("support_calls_7d"));
            assertThat(afterOneCall).as("the call before the change does not count").isEmpty();
            assertThat(changes(h)).containsExactly("callers entered v2");
        }
    }

    @Test
    void declaredFeaturesAppliedWhileRunningServeAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement2(
                    new StreamRecord<>(reading(SegmentRulesUpdate.DECLARED_FEATURES, FEATURES_V2)));
            h.processElement2(new StreamRecord<>(reading(null, SEGMENTS_V2)));
            call(h, T0);
            snapshot = h.snapshot(1L, T0);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            call(restored, T0 + DAY);

            assertThat(changes(restored)).containsExactly("callers entered v2");
            List<CustomerFeatures> rows = restored.extractOutputValues();
            assertThat(rows.get(rows.size() - 1).declaredNumbers)
                    .containsEntry("support_calls_7d", 2.0);
        }
    }
}
