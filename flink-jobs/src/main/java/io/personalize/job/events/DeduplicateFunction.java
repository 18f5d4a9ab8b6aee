package io.personalize.job.events;

import io.personalize.core.events.Event;
import io.personalize.job.Descriptors;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops an event whose {@code event_id} this customer already sent within the de-duplication
 * horizon (event time). Keyed by customer, so it needs no shuffle of its own: a re-sent event has
 * the same customer as the original.
 *
 * <p>State: the ids seen with their event time, and one event-time timer per customer that removes
 * ids older than the horizon. Duplicates are counted (metric {@code personalize.duplicates},
 * accumulator {@code duplicates}), not dead-lettered: they are not errors.
 */
public class DeduplicateFunction extends KeyedProcessFunction<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    public static final String DUPLICATES = "duplicates";

    private final long horizonMillis;

    private transient MapState<String, Long> seen;
    private transient ValueState<Long> cleanupAt;
    private transient Counter duplicates;
    private transient LongCounter duplicatesTotal;

    public DeduplicateFunction(Duration horizon) {
        this.horizonMillis = horizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(Descriptors.SEEN_EVENT_IDS);
        cleanupAt = getRuntimeContext().getState(Descriptors.DEDUP_CLEANUP_AT);
        duplicates =
                getRuntimeContext().getMetricGroup().addGroup("personalize").counter(DUPLICATES);
        duplicatesTotal = new LongCounter();
        getRuntimeContext().addAccumulator(DUPLICATES, duplicatesTotal);
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Event> out) throws Exception {
        if (seen.contains(event.eventId)) {
            duplicates.inc();
            duplicatesTotal.add(1);
            return;
        }
        seen.put(event.eventId, event.occurredAt);
        if (cleanupAt.value() == null) {
            scheduleCleanup(ctx.timerService(), event.occurredAt);
        }
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Event> out) throws Exception {
        long oldest = Long.MAX_VALUE;
        for (Iterator<Map.Entry<String, Long>> it = seen.iterator(); it.hasNext(); ) {
            long occurredAt = it.next().getValue();
            if (occurredAt + horizonMillis <= timestamp) {
                it.remove();
            } else {
                oldest = Math.min(oldest, occurredAt);
            }
        }
        cleanupAt.clear();
        if (oldest == Long.MAX_VALUE) {
            seen.clear();
        } else {
            scheduleCleanup(ctx.timerService(), oldest);
        }
    }

    private void scheduleCleanup(TimerService timers, long oldestOccurredAt) throws Exception {
        long base = Math.max(oldestOccurredAt, timers.currentWatermark());
        long at = base > Long.MAX_VALUE - horizonMillis ? Long.MAX_VALUE : base + horizonMillis;
        timers.registerEventTimeTimer(at);
        cleanupAt.update(at);
    }
}
