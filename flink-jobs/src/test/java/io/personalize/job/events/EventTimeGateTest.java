package io.personalize.job.events;

import static io.personalize.core.testing.Events.with;
import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.testing.Events;
import io.personalize.job.Descriptors;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class EventTimeGateTest {
    private static final long RETENTION = 90 * DAY;

    private static OneInputStreamOperatorTestHarness<Event, Event> harness(boolean clamp)
            throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(new EventTimeGate(RETENTION, clamp));
        harness.open();
        return harness;
    }

    /** A page view as read from a source: the gate's dead letters name the source and payload. */
    private static Event event(String id, long at) {
        return with(
                Events.event(EventType.PAGE_VIEW, at),
                e -> {
                    e.eventId = id;
                    e.ingestedAt = 0;
                    e.source = "test";
                    e.payload = "{}";
                });
    }

    private static List<Long> watermarks(OneInputStreamOperatorTestHarness<Event, Event> harness) {
        return harness.getOutput().stream()
                .filter(Watermark.class::isInstance)
                .map(w -> ((Watermark) w).getTimestamp())
                .toList();
    }

    @Test
    void sendsEventsOlderThanTheRetentionBehindTheWatermarkToDeadLetters() throws Exception {
        try (var harness = harness(true)) {
            harness.processWatermark(new Watermark(T0 + 100 * DAY));
            harness.processElement(new StreamRecord<>(event("old", T0 + 10 * DAY - 1)));
            harness.processElement(new StreamRecord<>(event("late-but-kept", T0 + 10 * DAY)));

            assertThat(harness.extractOutputValues())
                    .extracting(e -> e.eventId)
                    .containsExactly("late-but-kept");
            assertThat(harness.getSideOutput(Descriptors.DEAD_LETTERS))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.getValue().reason).isEqualTo("too_old");
                                assertThat(r.getValue().eventId).isEqualTo("old");
                            });
        }
    }

    @Test
    void replacesTheEndOfInputWatermarkByTheLatestEventTime() throws Exception {
        try (var harness = harness(true)) {
            harness.processElement(new StreamRecord<>(event("a", T0)));
            harness.processElement(new StreamRecord<>(event("b", T0 + 5 * DAY)));
            harness.processWatermark(new Watermark(T0 + DAY));
            harness.processWatermark(Watermark.MAX_WATERMARK);

            assertThat(watermarks(harness)).containsExactly(T0 + DAY, T0 + 5 * DAY);
        }
    }

    @Test
    void aGateThatSawNothingGoesIdleAtTheEndInsteadOfHoldingTimeBack() throws Exception {
        try (var harness = harness(true)) {
            harness.processWatermark(Watermark.MAX_WATERMARK);

            assertThat(watermarks(harness)).isEmpty();
            assertThat(harness.getOutput()).contains(WatermarkStatus.IDLE);
        }
    }

    @Test
    void passesTheEndOfInputWatermarkOnWhenALaterStageStopsTime() throws Exception {
        try (var harness = harness(false)) {
            harness.processElement(new StreamRecord<>(event("a", T0)));
            harness.processWatermark(Watermark.MAX_WATERMARK);

            assertThat(watermarks(harness)).containsExactly(Long.MAX_VALUE);
        }
    }
}
