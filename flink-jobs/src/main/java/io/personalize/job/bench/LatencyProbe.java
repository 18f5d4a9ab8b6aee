package io.personalize.job.bench;

import io.personalize.core.events.Event;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Records, for every 8th event, the time since it was read (processing time); when decisions are
 * probed, also every event's read time for {@link DecisionLatencyProbe}.
 */
final class LatencyProbe implements MapFunction<Event, Event> {
    private static final long serialVersionUID = 1L;
    private long count;

    @Override
    public Event map(Event event) {
        if (LatencyRecorder.probingDecisions()) {
            LatencyRecorder.read(event.customerKey(), event.occurredAt, event.ingestedAt);
        }
        if ((count++ & 7) == 0) {
            LatencyRecorder.EVENTS.record(System.currentTimeMillis() - event.ingestedAt);
        }
        return event;
    }
}
