package io.personalize.job.delivery;

import io.personalize.core.conversions.AttributableDecision;
import io.personalize.core.conversions.Attribution;
import io.personalize.core.conversions.Conversion;
import io.personalize.core.decisions.Decision;
import io.personalize.core.events.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Attributes each customer's purchases, opens and clicks to the decisions before them ({@link
 * Attribution}), keyed by customer. A converting event waits in state until the watermark passes
 * its time, so every decision made before it, which the decision stage emits as its watermark
 * passes, has arrived; one at or behind the watermark is converted at once. Decisions are kept for
 * the attribution window after they were made.
 */
public final class ConversionFunction
        extends KeyedCoProcessFunction<String, Event, Decision, Conversion> {
    static final MapStateDescriptor<String, AttributableDecision> DECISIONS =
            new MapStateDescriptor<>(
                    "attributable-decisions",
                    Types.STRING,
                    TypeInformation.of(AttributableDecision.class));
    static final MapStateDescriptor<Long, List<Event>> WAITING =
            new MapStateDescriptor<>(
                    "converting-events", Types.LONG, Types.LIST(TypeInformation.of(Event.class)));

    private final Attribution attribution;
    private final long windowMillis;

    private transient MapState<String, AttributableDecision> decisions;
    private transient MapState<Long, List<Event>> waiting;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> byKind;

    public ConversionFunction(Attribution attribution, long windowMillis) {
        this.attribution = attribution;
        this.windowMillis = windowMillis;
    }

    @Override
    public void open(OpenContext context) {
        decisions = getRuntimeContext().getMapState(DECISIONS);
        waiting = getRuntimeContext().getMapState(WAITING);
        metrics = getRuntimeContext().getMetricGroup().addGroup("personalize");
        byKind = new HashMap<>();
    }

    @Override
    public void processElement1(Event event, Context ctx, Collector<Conversion> out)
            throws Exception {
        if (event.isErasure()) {
            // the customer's decisions and waiting events go; their timers find nothing
            decisions.clear();
            waiting.clear();
            return;
        }
        if (event.occurredAt <= ctx.timerService().currentWatermark()) {
            convert(event, out);
            return;
        }
        List<Event> at = waiting.get(event.occurredAt);
        List<Event> list = at == null ? new ArrayList<>() : new ArrayList<>(at);
        list.add(event);
        waiting.put(event.occurredAt, list);
        ctx.timerService().registerEventTimeTimer(event.occurredAt);
    }

    @Override
    public void processElement2(Decision decision, Context ctx, Collector<Conversion> out)
            throws Exception {
        if (!Attribution.attributable(decision) || decisions.contains(decision.decisionId)) {
            return;
        }
        decisions.put(decision.decisionId, AttributableDecision.of(decision));
        ctx.timerService().registerEventTimeTimer(decision.decidedAt + windowMillis + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Conversion> out)
            throws Exception {
        List<Event> due = waiting.get(timestamp);
        if (due != null) {
            waiting.remove(timestamp);
            for (Event event : due) {
                convert(event, out);
            }
        }
        forgetOlderThan(timestamp - windowMillis);
    }

    private void convert(Event event, Collector<Conversion> out) throws Exception {
        List<AttributableDecision> known = new ArrayList<>();
        decisions.values().forEach(known::add);
        attribution
                .convert(event, known)
                .ifPresent(
                        c -> {
                            c.processedAt = System.currentTimeMillis();
                            byKind.computeIfAbsent(
                                            c.kind,
                                            k -> metrics.addGroup("kind", k).counter("conversions"))
                                    .inc();
                            out.collect(c);
                        });
    }

    /** Keeps what a later event may still convert for; the waiting events stay. */
    private void forgetOlderThan(long limit) throws Exception {
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, AttributableDecision> e : decisions.entries()) {
            if (e.getValue().decidedAt < limit) {
                old.add(e.getKey());
            }
        }
        for (String id : old) {
            decisions.remove(id);
        }
    }
}
