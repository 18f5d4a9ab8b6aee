package io.personalize.job.decisions;

import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.DecisionEngine;
import io.personalize.core.decisions.DecisionState;
import io.personalize.core.decisions.Trigger;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.flows.CompiledFlows;
import io.personalize.core.flows.Flow;
import io.personalize.core.flows.FlowCompiler;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.flows.FlowValidationException;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.Descriptors;
import io.personalize.job.segments.SegmentRulesUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision stage: one keyed function per customer that turns triggers into {@link Decision}s
 * with the send policy ({@link DecisionEngine}: consent, conditions, re-entry and cooldown,
 * experiments, one email per moment by priority, quiet hours and frequency caps that defer to an
 * event-time timer, expiry) and records every outcome.
 *
 * <p>It keeps, per customer, the latest features (consent, time zone, what the rules read), the
 * latest champion score of each model, whether each condition-started flow's condition held last
 * time (a flow starts when it goes from not holding to holding), and the policy's {@link
 * DecisionState} (sends, entries, deferred decisions, decided ids: the same trigger never yields a
 * second decision, replays after a restart included).
 *
 * <p>Flow definitions come from the configuration and, when watched, from a broadcast second input
 * of file readings: a changed file with a higher version replaces the flows for every customer; one
 * that does not compile or keeps its version is refused (logged, counted, a dead letter from
 * subtask 0) and the serving flows stay.
 */
public class DecisionFunction
        extends KeyedBroadcastProcessFunction<String, DecisionInput, SegmentRulesUpdate, Decision> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecisionFunction.class);
    public static final String STAGE = "decisions";

    /** The serving flow definitions' text, broadcast state under one key. */
    public static final MapStateDescriptor<String, String> FLOWS =
            new MapStateDescriptor<>("flow-definitions", Types.STRING, Types.STRING);

    private static final String SERVING = "serving";

    private final FlowDefinitions configured;
    private final SegmentDefinitions segments;
    private final DecisionEngine engine;

    private transient CompiledFlows flows;
    private transient String servingText;
    private transient String lastRefused;
    private transient ValueState<DecisionState> decisions;
    private transient ValueState<CustomerFeatures> features;
    private transient MapState<String, CustomerScore> scores;
    private transient MapState<String, Boolean> conditions;
    private transient ValueState<Long> timer;
    private transient MapState<Long, List<DecisionInput>> pending;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> counters;
    private transient Counter refused;

    public DecisionFunction(
            FlowDefinitions configured, SegmentDefinitions segments, DecisionEngine engine) {
        this.configured = configured;
        this.segments = segments;
        this.engine = engine;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        flows = compiler().compile(configured);
        decisions =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "decision-state", TypeInformation.of(DecisionState.class)));
        features =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "decision-features",
                                        TypeInformation.of(CustomerFeatures.class)));
        scores =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "decision-scores",
                                        Types.STRING,
                                        TypeInformation.of(CustomerScore.class)));
        conditions =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "decision-conditions", Types.STRING, Types.BOOLEAN));
        timer =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("decision-timer", Types.LONG));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "decision-inputs-waiting",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(DecisionInput.class))));
        metrics = getRuntimeContext().getMetricGroup().addGroup("personalize");
        counters = new HashMap<>();
        refused = metrics.counter("flow_definitions_refused");
        metrics.gauge("flow_definitions_version", () -> flows.version());
    }

    private FlowCompiler compiler() {
        return FlowCompiler.standard().withSegments(segments);
    }

    /**
     * Inputs wait, in keyed state, for the watermark to pass their event time, so a customer's
     * features, scores and triggers are decided in event-time order whatever path brought them (an
     * abandonment and its reminder can overtake each other on their way here). Late inputs (at or
     * behind the watermark) are decided at once.
     */
    @Override
    public void processElement(DecisionInput input, ReadOnlyContext ctx, Collector<Decision> out)
            throws Exception {
        serveBroadcast(ctx.getBroadcastState(FLOWS));
        long at = input.at();
        if (at <= ctx.timerService().currentWatermark()) {
            decide(List.of(input), at, out, ctx.timerService());
            return;
        }
        List<DecisionInput> waiting = pending.get(at);
        if (waiting == null) {
            waiting = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(at);
        }
        waiting.add(input);
        pending.put(at, waiting);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Decision> out)
            throws Exception {
        serveBroadcast(ctx.getBroadcastState(FLOWS));
        List<DecisionInput> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
        }
        Long wakeUp = timer.value();
        if (wakeUp != null && wakeUp <= timestamp) {
            timer.clear();
        }
        decide(due == null ? List.of() : due, timestamp, out, ctx.timerService());
    }

    /**
     * Decides the inputs of one event time: features and scores first (consent withdrawals,
     * conditions that start flows), then every trigger of the moment together with the deferred
     * decisions due by then.
     */
    private void decide(
            List<DecisionInput> inputs,
            long now,
            Collector<Decision> out,
            org.apache.flink.streaming.api.TimerService timers)
            throws Exception {
        DecisionState state = decisions.value();
        if (state == null) {
            state = new DecisionState();
        }
        CustomerFeatures current = features.value();
        Map<String, CustomerScore> byModel = scoreMap(); // read once per moment
        List<Decision> made = new ArrayList<>();
        List<Trigger> triggers = new ArrayList<>();
        for (DecisionInput input : inputs) {
            if (input.features != null) {
                current = input.features;
                features.update(current);
                made.addAll(engine.onFeatures(state, current, now));
                conditionTriggers(current, byModel, triggers);
            } else if (input.score != null) {
                scores.put(input.score.model, input.score);
                byModel.put(input.score.model, input.score);
                if (current != null) {
                    conditionTriggers(current, byModel, triggers);
                }
            }
        }
        for (DecisionInput input : inputs) {
            if (input.trigger != null) {
                triggers.add(input.trigger);
            }
        }
        made.addAll(
                engine.onTriggers(
                        state, triggers, flows.flows(), flows.version(), current, byModel, now));
        emit(made, current, out);
        decisions.update(state);
        schedule(state, timers);
    }

    /** Flows started by a condition that now holds and did not before. */
    private void conditionTriggers(
            CustomerFeatures current, Map<String, CustomerScore> byModel, List<Trigger> triggers)
            throws Exception {
        for (Flow flow : flows.conditionFlows()) {
            boolean holds = flow.triggerConditionHolds(current, byModel);
            Boolean before = conditions.get(flow.id());
            if (holds && !Boolean.TRUE.equals(before)) {
                triggers.add(
                        Trigger.of(
                                current.customerKey,
                                current.customerId,
                                Trigger.CONDITION,
                                flow.id(),
                                flow.id() + "@" + current.asOf,
                                current.asOf));
            }
            if (before == null || before != holds) {
                conditions.put(flow.id(), holds);
            }
        }
    }

    private Map<String, CustomerScore> scoreMap() throws Exception {
        Map<String, CustomerScore> out = new HashMap<>();
        for (Map.Entry<String, CustomerScore> e : scores.entries()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private void schedule(DecisionState state, org.apache.flink.streaming.api.TimerService timers)
            throws Exception {
        long next = engine.nextWakeUp(state);
        Long registered = timer.value();
        if (next != Long.MAX_VALUE && !Objects.equals(registered, next)) {
            timers.registerEventTimeTimer(next);
            timer.update(next);
        }
    }

    private void emit(List<Decision> made, CustomerFeatures read, Collector<Decision> out) {
        for (Decision d : made) {
            d.featuresAsOf = read == null ? null : read.asOf;
            counters.computeIfAbsent(
                            d.flowId + "/" + d.outcome,
                            k ->
                                    metrics.addGroup("flow", d.flowId)
                                            .addGroup("outcome", d.outcome)
                                            .counter("decisions"))
                    .inc();
            out.collect(d);
        }
    }

    /** Serves what the broadcast state holds, when it differs (after a restore, or an update). */
    private void serveBroadcast(ReadOnlyBroadcastState<String, String> state) throws Exception {
        String text = state.get(SERVING);
        if (text != null && !text.equals(servingText)) {
            try {
                flows = compiler().compile(text);
                servingText = text;
            } catch (FlowValidationException e) {
                // accepted once, so it compiles; keep serving what we have if not
                LOG.warn("Flow definitions in state do not compile any more: {}", e.getMessage());
                servingText = text;
            }
        }
    }

    @Override
    public void processBroadcastElement(
            SegmentRulesUpdate update, Context ctx, Collector<Decision> out) throws Exception {
        BroadcastState<String, String> state = ctx.getBroadcastState(FLOWS);
        serveBroadcast(state);
        String reading = update.text != null ? update.text : update.error;
        if (reading == null || Objects.equals(reading, lastRefused)) {
            // an empty reading (nothing watched), or one refused already
            return;
        }
        if (update.text == null) {
            refuse(update, update.error, ctx);
            return;
        }
        CompiledFlows next;
        try {
            next = compiler().compile(update.text);
        } catch (FlowValidationException e) {
            refuse(update, e.getMessage(), ctx);
            return;
        }
        var problem = flows.reloadProblem(next);
        if (problem.isPresent()) {
            refuse(update, problem.get(), ctx);
            return;
        }
        lastRefused = null;
        if (next.equals(flows)) {
            return;
        }
        LOG.info(
                "Applying flow definitions version {} from {} (was {})",
                next.version(),
                update.source,
                flows.version());
        flows = next;
        servingText = update.text;
        state.put(SERVING, update.text);
    }

    private void refuse(SegmentRulesUpdate update, String message, Context ctx) {
        lastRefused = update.text != null ? update.text : update.error;
        refused.inc();
        LOG.warn(
                "Refused flow definitions from {}; version {} keeps serving: {}",
                update.source,
                flows.version(),
                message);
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            ctx.output(
                    Descriptors.DEAD_LETTERS,
                    DeadLetters.refusedReading(
                            DeadLetterReason.INVALID_FLOWS,
                            STAGE,
                            message,
                            update.source,
                            lastRefused,
                            update.readAt));
        }
    }
}
