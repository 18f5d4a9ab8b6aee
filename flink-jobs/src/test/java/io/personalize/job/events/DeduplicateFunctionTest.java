package io.personalize.job.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DeduplicateFunctionTest {
    private static final long T0 = 1_740_787_200_000L; // 2025-03-01T00:00:00Z
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final Duration HORIZON = Duration.ofHours(24);

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness()
            throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DeduplicateFunction(HORIZON)),
                        new CustomerKeySelector(),
                        org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.open();
        return harness;
    }

    private static Event event(String id, String customer, long at) {
        Event event = new Event();
        event.eventId = id;
        event.eventType = EventType.PAGE_VIEW;
        event.customerId = customer;
        event.occurredAt = at;
        event.items = List.of();
        return event;
    }

    private static List<String> outputIds(
            KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness) {
        return harness.extractOutputValues().stream().map(e -> e.eventId).toList();
    }

    @Test
    void dropsAnEventIdSeenAgainWithinTheHorizon() throws Exception {
        try (var harness = harness()) {
            harness.processElement(new StreamRecord<>(event("e1", "c1", T0), T0));
            harness.processElement(new StreamRecord<>(event("e2", "c1", T0 + HOUR), T0 + HOUR));
            harness.processElement(new StreamRecord<>(event("e1", "c1", T0), T0 + 2 * HOUR));

            assertThat(outputIds(harness)).containsExactly("e1", "e2");
        }
    }

    @Test
    void keepsTheSameIdFromAnotherCustomer() throws Exception {
        try (var harness = harness()) {
            harness.processElement(new StreamRecord<>(event("e1", "c1", T0), T0));
            harness.processElement(new StreamRecord<>(event("e1", "c2", T0), T0));

            assertThat(outputIds(harness)).containsExactly("e1", "e1");
        }
    }

    @Test
    void forgetsIdsOnceEventTimePassesTheHorizon() throws Exception {
        try (var harness = harness()) {
            harness.processElement(new StreamRecord<>(event("e1", "c1", T0), T0));
            harness.processWatermark(new Watermark(T0 + 24 * HOUR));
            assertThat(harness.numKeyedStateEntries()).isZero();

            harness.processElement(new StreamRecord<>(event("e1", "c1", T0), T0 + 25 * HOUR));
            assertThat(outputIds(harness)).containsExactly("e1", "e1");
        }
    }

    @Test
    void remembersSeenIdsAcrossASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.processElement(new StreamRecord<>(event("e1", "c1", T0), T0));
            snapshot = harness.snapshot(1L, T0);
        }
        try (var restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DeduplicateFunction(HORIZON)),
                        new CustomerKeySelector(),
                        org.apache.flink.api.common.typeinfo.Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(new StreamRecord<>(event("e1", "c1", T0), T0 + HOUR));
            restored.processElement(new StreamRecord<>(event("e3", "c1", T0), T0 + HOUR));

            assertThat(outputIds(restored)).containsExactly("e3");
            restored.processWatermark(new Watermark(T0 + 48 * HOUR));
            assertThat(restored.numKeyedStateEntries()).isZero();
        }
    }
}
