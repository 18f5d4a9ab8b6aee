package io.personalize.job.events;

import io.personalize.core.events.Event;
import io.personalize.core.privacy.ErasureRequest;
import io.personalize.core.privacy.Tombstones;
import io.personalize.job.Descriptors;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The first stage keyed by customer: drops an event whose {@code event_id} this customer already
 * sent within the de-duplication horizon (event time), and every event of an erased key. Keyed by
 * customer, so it needs no shuffle of its own: a re-sent event has the same customer as the
 * original.
 *
 * <p>State: the ids seen with their event time, and one event-time timer per customer that removes
 * ids older than the horizon. Duplicates are counted (metric {@code personalize.duplicates},
 * accumulator {@code duplicates}), not dead-lettered: they are not errors.
 *
 * <p><b>Erasure.</b> An {@code erasure_requested} event (or the marker that erases an anonymous key
 * linked to an erased customer) clears the key's state here, leaves a tombstone (the key's salted
 * hash, {@link Tombstones}; never the key) and goes on to the later stages, which forget the key in
 * turn; an {@link ErasureRequest} leaves through {@link Descriptors#ERASURES} for the tables. From
 * then on every event of the key is dropped (metric and accumulator {@code erased_events}), also
 * when old events are replayed. The tombstones are this operator's list state, given to every
 * subtask on restore, and start from those of the {@code erasures} table.
 */
public class DeduplicateFunction extends KeyedProcessFunction<String, Event, Event>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String DUPLICATES = "duplicates";
    public static final String ERASED_EVENTS = "erased_events";

    private final long horizonMillis;
    private final Tombstones configured;

    private transient MapState<String, Long> seen;
    private transient ValueState<Long> cleanupAt;
    private transient Counter duplicates;
    private transient LongCounter duplicatesTotal;
    private transient Counter erasedEvents;
    private transient LongCounter erasedEventsTotal;
    private transient TombstoneState tombstoneState;
    private transient Tombstones tombstones;

    public DeduplicateFunction(Duration horizon) {
        this(horizon, Tombstones.none());
    }

    /**
     * @param tombstones the keys erased before this run (the subjects of the {@code erasures}
     *     table), with the hashing secret
     */
    public DeduplicateFunction(Duration horizon, Tombstones tombstones) {
        this.horizonMillis = horizon.toMillis();
        this.configured = tombstones;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        tombstoneState =
                TombstoneState.restore(context.getOperatorStateStore(), "tombstones", configured);
        tombstones = tombstoneState.tombstones();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        tombstoneState.snapshot();
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(Descriptors.SEEN_EVENT_IDS);
        cleanupAt = getRuntimeContext().getState(Descriptors.DEDUP_CLEANUP_AT);
        var group = getRuntimeContext().getMetricGroup().addGroup("personalize");
        duplicates = group.counter(DUPLICATES);
        erasedEvents = group.counter(ERASED_EVENTS);
        duplicatesTotal = new LongCounter();
        erasedEventsTotal = new LongCounter();
        getRuntimeContext().addAccumulator(DUPLICATES, duplicatesTotal);
        getRuntimeContext().addAccumulator(ERASED_EVENTS, erasedEventsTotal);
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Event> out) throws Exception {
        Long cleanup = cleanupAt.value();
        if (event.isErasure()) {
            erase(event, cleanup, ctx, out);
            return;
        }
        // An erased key holds no state here: the tombstones are asked only for a key without any.
        if (cleanup == null && tombstones.erased(ctx.getCurrentKey())) {
            erasedEvents.inc();
            erasedEventsTotal.add(1);
            return;
        }
        if (cleanup != null && seen.contains(event.eventId)) {
            duplicates.inc();
            duplicatesTotal.add(1);
            return;
        }
        seen.put(event.eventId, event.occurredAt);
        if (cleanup == null) {
            scheduleCleanup(ctx.timerService(), event.occurredAt);
        }
        out.collect(event);
    }

    /**
     * Forgets the key: its state here, a tombstone, the request for the tables; the event goes on
     * so that the later stages forget the key too.
     */
    private void erase(Event event, Long cleanup, Context ctx, Collector<Event> out)
            throws Exception {
        String key = ctx.getCurrentKey();
        if (cleanup != null) {
            ctx.timerService().deleteEventTimeTimer(cleanup);
        }
        seen.clear();
        cleanupAt.clear();
        ErasureRequest request = new ErasureRequest();
        request.erasureId = event.mergeOf != null ? event.mergeOf : event.eventId;
        request.linked = event.mergeOf != null;
        request.customerKey = key;
        request.customerId = event.customerId;
        request.anonymousId = event.customerId == null ? event.anonymousId : null;
        request.known = cleanup != null || tombstones.erased(key);
        request.subject = tombstones.add(key);
        request.requestedAt = event.occurredAt;
        ctx.output(Descriptors.ERASURES, request);
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
