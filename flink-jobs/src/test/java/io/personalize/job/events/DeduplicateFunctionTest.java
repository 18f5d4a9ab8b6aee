package io.personalize.job.events;

import static io.personalize.core.testing.Events.with;
import static io.personalize.core.testing.Times.HOUR;
import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.testing.Events;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DeduplicateFunctionTest {
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

    /** A page view of {@code customer} with the id {@code id}: equal ids are duplicates. */
    private static Event event(String id, String customer, long at) {
        return with(
                Events.event(EventType.PAGE_VIEW, at),
                e -> {
                    e.eventId = id;
                    e.customerId = customer;
                });
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
