package io.personalize.job.features;

import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureEngine;
import io.personalize.job.Descriptors;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each customer's {@link CustomerState} and emits their features after every event and at
 * every moment a windowed value expires, by one event-time timer per customer set to {@link
 * FeatureEngine#nextChangeAt}. A thin shell: the computation is {@link FeatureEngine}'s.
 *
 * <p>{@code endOfTime}, when given (a bounded replay whose last event time is known), stops time
 * there: timers after it do nothing, so no window empties merely because the input ended. In a
 * batch replay the changes between a customer's events are not emitted one by one (batch mode fires
 * timers only after the key's last event); the latest features are the same.
 */
public class FeatureFunction extends KeyedProcessFunction<String, Event, CustomerFeatures> {
    private static final long serialVersionUID = 1L;

    private final FeatureEngine engine;
    private final Duration stateTtl;
    private final Long endOfTime;

    private transient ValueState<CustomerState> state;
    private transient ValueState<Long> timerAt;

    public FeatureFunction(FeatureEngine engine, Duration stateTtl, Long endOfTime) {
        this.engine = engine;
        this.stateTtl = stateTtl;
        this.endOfTime = endOfTime;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(Descriptors.customerState(stateTtl));
        timerAt = getRuntimeContext().getState(Descriptors.FEATURE_TIMER_AT);
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<CustomerFeatures> out)
            throws Exception {
        CustomerState current = state.value();
        if (current == null) {
            current = new CustomerState();
        }
        engine.apply(current, event);
        emitAndReschedule(current, ctx.getCurrentKey(), ctx.timerService(), out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CustomerFeatures> out)
            throws Exception {
        Long pending = timerAt.value();
        if (pending == null || pending != timestamp) {
            return; // replaced by a later registration
        }
        timerAt.clear();
        CustomerState current = state.value();
        if (current == null || (endOfTime != null && timestamp > endOfTime)) {
            return;
        }
        engine.advanceTo(current, timestamp);
        emitAndReschedule(current, ctx.getCurrentKey(), ctx.timerService(), out);
        if (endOfTime != null) {
            // A batch replay fires timers once, after the key's last event, and does not fire
            // timers set from inside a timer: catch up with every change until the end here.
            for (long next = engine.nextChangeAt(current);
                    next <= endOfTime;
                    next = engine.nextChangeAt(current)) {
                engine.advanceTo(current, next);
                emitAndReschedule(current, ctx.getCurrentKey(), ctx.timerService(), out);
            }
        }
    }

    private void emitAndReschedule(
            CustomerState current, String key, TimerService timers, Collector<CustomerFeatures> out)
            throws Exception {
        state.update(current);
        out.collect(engine.snapshot(current, key, System.currentTimeMillis()));
        long next = engine.nextChangeAt(current);
        Long pending = timerAt.value();
        if (pending != null && pending != next) {
            timers.deleteEventTimeTimer(pending);
            timerAt.clear();
        }
        if (next != Long.MAX_VALUE && (pending == null || pending != next)) {
            timers.registerEventTimeTimer(next);
            timerAt.update(next);
        }
    }
}
