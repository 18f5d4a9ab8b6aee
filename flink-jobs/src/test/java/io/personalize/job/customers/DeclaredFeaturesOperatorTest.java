package io.personalize.job.customers;

import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.testing.Events;
import io.personalize.job.events.CustomerKeySelector;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Declared features in the customer operator's keyed state: timers, snapshot and restore. */
class DeclaredFeaturesOperatorTest {
    private static final long MS = 1;
    private static final String FEATURES =
            """
            features:
              - name: support_calls_90d
                kind: window
                aggregate: count
                where: event.event_type == 'custom' && event.custom.type == 'support_call'
                window: 90d
            """;

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, CustomerFeatures> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new CustomerOperator(
                        new FeatureEngine(
                                FeatureConfig.defaults(), DeclaredFeatures.parse(FEATURES)),
                        Duration.ofDays(400),
                        null,
                        SegmentDefinitions.defaults()),
                new CustomerKeySelector(),
                Types.STRING);
    }

    private static void call(
            KeyedOneInputStreamOperatorTestHarness<String, Event, CustomerFeatures> h, long at)
            throws Exception {
        Event e = Events.event(EventType.CUSTOM, at);
        e.payload = "{\"event_type\":\"custom\",\"custom\":{\"type\":\"support_call\"}}";
        h.processElement(new StreamRecord<>(e, at));
    }

    private static Object calls(
            KeyedOneInputStreamOperatorTestHarness<String, Event, CustomerFeatures> h) {
        List<CustomerFeatures> out = h.extractOutputValues();
        CustomerFeatures last = out.get(out.size() - 1);
        return last.declaredNumbers == null ? null : last.declaredNumbers.get("support_calls_90d");
    }

    @Test
    void aRestoredWindowedCountDropsAtItsExactExpiryByTimer() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            call(h, T0);
            call(h, T0 + 2 * DAY);
            assertThat(calls(h)).isEqualTo(2.0);
            snapshot = h.snapshot(1L, T0 + 2 * DAY);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark(new Watermark(T0 + 90 * DAY));
            assertThat(restored.extractOutputValues()).isEmpty(); // nothing left yet

            restored.processWatermark(new Watermark(T0 + 90 * DAY + MS));
            assertThat(calls(restored)).isEqualTo(1.0);
            assertThat(restored.extractOutputValues().get(0).asOf).isEqualTo(T0 + 90 * DAY + MS);

            restored.processWatermark(new Watermark(T0 + 92 * DAY + MS));
            assertThat(calls(restored)).isEqualTo(0.0);
        }
    }
}
