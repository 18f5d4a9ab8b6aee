package io.personalize.job.customers;

import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.segments.CompiledSegments;
import io.personalize.core.segments.SegmentChange;
import io.personalize.core.segments.SegmentCompiler;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.segments.SegmentEngine;
import io.personalize.core.segments.SegmentEngine.Transition;
import io.personalize.core.segments.SegmentState;
import io.personalize.core.segments.SegmentValidationException;
import io.personalize.core.segments.TimeAnchors;
import io.personalize.job.Descriptors;
import io.personalize.job.segments.SegmentMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Keeps each customer's feature state and segment memberships, keyed by customer: after every
 * event, and at every moment something changes by time alone, it emits the customer's features
 * (with their current segments) and every segment entered or left ({@link
 * Descriptors#SEGMENT_CHANGES}). One event-time timer per customer, at the earlier of the next
 * feature change ({@link FeatureEngine#nextChangeAt}) and the next time-driven segment change
 * ({@link SegmentEngine#nextChangeAt}), so Lapsed Customers is entered at exactly 60 days + 1 ms.
 *
 * <p>Why features and segments share one operator: a time-driven rule needs the features as of any
 * instant (day counts, age), which only the feature state can give. Why an operator rather than a
 * {@code KeyedBroadcastProcessFunction}: a new rule version must be applied to every customer and
 * may need earlier timers for customers who send nothing, and that function cannot register timers
 * from its broadcast side. {@link WatchedCustomerOperator} adds the rule-update input.
 *
 * <p>{@code endOfTime}, when given (a bounded replay whose last event time is known), stops time
 * there: timers after it do nothing, so no window empties merely because the input ended. In a
 * batch replay the changes between a customer's events are not emitted one by one (batch mode fires
 * timers only after the key's last event); the latest features are the same.
 */
public class CustomerOperator extends AbstractStreamOperator<CustomerFeatures>
        implements OneInputStreamOperator<Event, CustomerFeatures>,
                Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    private static final String DEFINITIONS_KEY = "serving";

    private final FeatureEngine engine;
    private final Duration stateTtl;
    private final Long endOfTime;
    private final SegmentDefinitions configuredSegments;

    private transient ValueState<CustomerState> state;
    private transient ValueState<SegmentState> memberships;
    private transient ValueState<Long> timerAt;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient BroadcastState<String, String> servingDefinitions;
    private transient ListState<SegmentCount> segmentCounts;
    private transient StreamRecord<CustomerFeatures> featuresRecord;
    private transient StreamRecord<SegmentChange> changeRecord;

    protected transient SegmentEngine segments;
    protected transient SegmentMetrics metrics;

    public CustomerOperator(
            FeatureEngine engine,
            Duration stateTtl,
            Long endOfTime,
            SegmentDefinitions configuredSegments) {
        this.engine = engine;
        this.stateTtl = stateTtl;
        this.endOfTime = endOfTime;
        this.configuredSegments = configuredSegments;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        servingDefinitions =
                context.getOperatorStateStore().getBroadcastState(Descriptors.SEGMENT_DEFINITIONS);
        segmentCounts = context.getOperatorStateStore().getListState(Descriptors.SEGMENT_COUNTS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        state = getPartitionedState(Descriptors.customerState(stateTtl));
        memberships = getPartitionedState(Descriptors.segmentState(stateTtl));
        timerAt = getPartitionedState(Descriptors.CUSTOMER_TIMER_AT);
        timers = getInternalTimerService("customer-timers", VoidNamespaceSerializer.INSTANCE, this);
        featuresRecord = new StreamRecord<>(null);
        changeRecord = new StreamRecord<>(null);
        metrics = new SegmentMetrics(getMetricGroup());
        for (SegmentCount count : segmentCounts.get()) {
            metrics.restore(count.segmentId, count.members, count.unknown);
        }
        segments = new SegmentEngine(servingSegments());
        metrics.version(segments.version());
    }

    /**
     * The configured definitions, unless a checkpoint restored a higher version that was applied at
     * runtime.
     */
    private CompiledSegments servingSegments() throws Exception {
        CompiledSegments configured = compile(configuredSegments);
        String restored = servingDefinitions.get(DEFINITIONS_KEY);
        if (restored != null) {
            CompiledSegments fromState = SegmentCompiler.standard().compile(restored);
            if (fromState.version() > configured.version()) {
                return fromState;
            }
        }
        servingDefinitions.put(DEFINITIONS_KEY, configuredSegments.toYaml());
        return configured;
    }

    private static CompiledSegments compile(SegmentDefinitions definitions) {
        try {
            return SegmentCompiler.standard().compile(definitions);
        } catch (SegmentValidationException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // checked at start-up already
        }
    }

    @Override
    public void processElement(StreamRecord<Event> element) throws Exception {
        Event event = element.getValue();
        CustomerState current = state.value();
        if (current == null) {
            current = new CustomerState();
        } else {
            catchUp(current, event.occurredAt);
        }
        engine.apply(current, event);
        update(current, true);
    }

    /**
     * Emits the changes due before an event's time that the watermark has not fired yet (the event
     * arrived ahead of the watermark, e.g. while another source split holds the watermark back), at
     * their own times: so a customer still enters Lapsed at order + 60 d + 1 ms, not at their next
     * event. Only membership changes are emitted here (with the features row); the features between
     * are summed up by the event's own row.
     */
    private void catchUp(CustomerState current, long eventTime) throws Exception {
        SegmentState due = memberships.value();
        long next = due == null ? Long.MAX_VALUE : due.dueAt;
        while (next < eventTime && (endOfTime == null || next <= endOfTime)) {
            engine.advanceTo(current, next);
            update(current, false);
            next = memberships.value().dueAt;
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        long timestamp = timer.getTimestamp();
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
        long next = update(current, true);
        if (endOfTime != null) {
            // A batch replay fires timers once, after the key's last event, and does not fire
            // timers set from inside a timer: catch up with every change until the end here.
            while (next <= endOfTime) {
                engine.advanceTo(current, next);
                next = update(current, true);
            }
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // no processing-time timers
    }

    /**
     * Stores the state, evaluates segments, emits what changed and sets the customer's timer.
     *
     * @param emitFeatures emit the features even when no membership changed
     * @return the timer's time ({@link Long#MAX_VALUE} when nothing is pending)
     */
    protected long update(CustomerState current, boolean emitFeatures) throws Exception {
        String key = (String) getCurrentKey();
        state.update(current);
        CustomerFeatures features = engine.snapshot(current, key, System.currentTimeMillis());
        SegmentState customerSegments = memberships.value();
        if (customerSegments == null) {
            customerSegments = new SegmentState();
        }
        TimeAnchors anchors = TimeAnchors.of(engine, current);
        List<Transition> transitions = segments.evaluate(customerSegments, features, anchors);
        long segmentsNext = segments.nextChangeAt(features, anchors);
        customerSegments.dueAt =
                Math.min(segmentsNext, engine.nextChangeAt(current, segments.inputFeatures()));
        memberships.update(customerSegments);
        features.segments = segments.members(customerSegments);
        for (Transition transition : transitions) {
            metrics.record(transition);
            if (transition.entered() || transition.exited()) {
                SegmentChange change =
                        SegmentChange.of(
                                key,
                                features.customerId,
                                transition,
                                features.asOf,
                                features.computedAt,
                                segments.version());
                output.collect(
                        Descriptors.SEGMENT_CHANGES, changeRecord.replace(change, features.asOf));
            }
        }
        if (emitFeatures || !transitions.isEmpty()) {
            output.collect(featuresRecord.replace(features, features.asOf));
        }
        return reschedule(Math.min(engine.nextChangeAt(current), segmentsNext));
    }

    private long reschedule(long next) throws Exception {
        Long pending = timerAt.value();
        if (pending != null && pending != next) {
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, pending);
            timerAt.clear();
        }
        if (next != Long.MAX_VALUE && (pending == null || pending != next)) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, next);
            timerAt.update(next);
        }
        return next;
    }

    /**
     * Serves a new rule version: stores it for restore, then re-evaluates every customer this
     * subtask knows as of the current watermark (or their last event, when later), emitting the
     * changes and setting their timers.
     */
    protected void serve(CompiledSegments next) throws Exception {
        servingDefinitions.put(DEFINITIONS_KEY, next.definitions().toYaml());
        segments = new SegmentEngine(next);
        metrics.version(next.version());
        List<String> keys;
        try (var stream =
                getKeyedStateBackend()
                        .getKeys(Descriptors.CUSTOMER_STATE, VoidNamespace.INSTANCE)) {
            keys = stream.map(k -> (String) k).toList();
        }
        long watermark = timers.currentWatermark();
        for (String key : keys) {
            setCurrentKey(key);
            CustomerState current = state.value();
            if (current == null) {
                continue; // expired
            }
            if (endOfTime == null || watermark <= endOfTime) {
                engine.advanceTo(current, watermark);
            }
            update(current, false);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        segmentCounts.clear();
        for (Map.Entry<String, long[]> e : metrics.counts().entrySet()) {
            segmentCounts.add(new SegmentCount(e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
    }

    /** Members and unknown of one segment on one subtask, kept for the gauges across restores. */
    public static class SegmentCount {
        public String segmentId;
        public long members;
        public long unknown;

        public SegmentCount() {}

        SegmentCount(String segmentId, long members, long unknown) {
            this.segmentId = segmentId;
            this.members = members;
            this.unknown = unknown;
        }
    }
}
