package io.personalize.job.decisions;

import io.personalize.core.decisions.Decision;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.privacy.Tombstones;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.Descriptors;
import io.personalize.job.delivery.DeliveryStage;
import io.personalize.job.events.TombstoneState;
import io.personalize.job.features.DeclaredFeaturesPoller;
import io.personalize.job.features.FeatureReaders;
import io.personalize.job.features.ServingDeclaredFeatures;
import io.personalize.job.reload.Reloads;
import io.personalize.job.segments.SegmentDefinitionsPoller;
import io.personalize.job.segments.SegmentRulesUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision stage, keyed by customer: the customer's moments (features with their segment
 * changes and champion scores, first input, from the same partition without a shuffle) and the
 * pattern triggers (cart and browse abandonments, second input) become {@link Decision}s.
 *
 * <p><b>On arrival, in one order.</b> Each customer's inputs are decided one at a time in a fixed
 * order, so the same input gives the same decisions whatever the timing, parallelism or restores. A
 * moment stands at its event time; a trigger at its event time plus {@code triggerWait}, the
 * longest it may reach here after the watermark passed its time (the cart stages emit a trigger
 * once the watermark passes it). A moment is decided as soon as the watermark is within {@code
 * triggerWait} of it, which in a live stream is at once: no trigger that stands before it can still
 * come. A trigger is decided once the watermark passes its position, so it reads the features as of
 * then. Deferred decisions fall due at their own time in the same order.
 *
 * <p><b>Flows.</b> The configured flow definitions serve; with {@code flowsPath} each subtask reads
 * that file every {@code pollInterval} ({@link ServingFlows}: a valid file with a higher version
 * replaces the flows, anything else is refused, logged, counted and written as a dead letter by
 * subtask 0, and the serving flows stay). What serves is kept in checkpoints.
 *
 * <p><b>Declared features.</b> With a watched declared-features file ({@link
 * #withDeclaredFeatures}), each subtask reads it on the same timer, before the flows, and a change
 * recompiles the serving flows against the registry with it; a flows reading refused because it
 * named a feature only that change adds is judged again at its next poll.
 */
public class DecisionOperator extends AbstractStreamOperator<Decision>
        implements TwoInputStreamOperator<DecisionInput, DecisionInput, Decision>,
                Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecisionOperator.class);
    public static final String STAGE = "decisions";

    /** The serving flow definitions' text (when read at runtime), the same on every subtask. */
    public static final MapStateDescriptor<String, String> FLOWS =
            new MapStateDescriptor<>("flow-definitions", Types.STRING, Types.STRING);

    private static final String SERVING = "serving";
    private static final String DECLARED = "declared-features";
    private static final ValueStateDescriptor<DecisionCustomer> CUSTOMER =
            new ValueStateDescriptor<>(
                    "decision-customer", TypeInformation.of(DecisionCustomer.class));

    private final FlowDefinitions configured;
    private final SegmentDefinitions segments;
    private DeclaredFeatures configuredDeclared;
    private String declaredPath;
    private FeatureReaders readers;
    private final long triggerWaitMillis;
    private final String flowsPath;
    private long pollMillis;
    private final String hashSecret;

    /** The model names flows may read; null: not checked. */
    private java.util.Set<String> ruleModels =
            io.personalize.core.flows.FlowCompiler.SHIPPED_MODELS;

    private transient ServingFlows serving;

    /** Its registry is the one flows compile against (with the declared features). */
    private final io.personalize.core.decisions.DecisionEngine engine;

    /** With the declared features that serve; rebuilt when they change. */
    private transient CustomerDecisions decisions;

    private transient SegmentDefinitionsPoller declaredPoller;
    private transient Reloads declaredReloads;
    private transient ServingDeclaredFeatures declaredFeatures;

    private transient BroadcastState<String, String> servingState;
    private transient ValueState<DecisionCustomer> customers;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient MetricGroup metrics;
    private transient Map<String, Counter> counters;
    private transient Reloads reloads;
    private transient SegmentDefinitionsPoller flowsPoller;
    private transient TombstoneState erasedState;
    private transient Tombstones erased;

    /**
     * @param flowsPath the flow definitions file to watch; null to serve {@code configured} only
     */
    public DecisionOperator(
            FlowDefinitions configured,
            SegmentDefinitions segments,
            io.personalize.core.decisions.DecisionEngine engine,
            Duration triggerWait,
            String flowsPath,
            Duration pollInterval) {
        this(configured, segments, engine, triggerWait, flowsPath, pollInterval, null);
    }

    /**
     * @param hashSecret the secret of the tombstones of erased customers (null: a test's)
     */
    public DecisionOperator(
            FlowDefinitions configured,
            SegmentDefinitions segments,
            io.personalize.core.decisions.DecisionEngine engine,
            Duration triggerWait,
            String flowsPath,
            Duration pollInterval,
            String hashSecret) {
        this.hashSecret = hashSecret == null ? "decision tombstones of a test" : hashSecret;
        this.configured = configured;
        this.segments = segments;
        this.engine = engine;
        this.triggerWaitMillis = triggerWait.toMillis();
        this.flowsPath = flowsPath;
        this.pollMillis = pollInterval.toMillis();
    }

    /**
     * Serves {@code configured} declared features (those of {@code engine}), or the ones a
     * checkpoint kept when of a higher version; with {@code watchedPath}, reads that file every
     * {@code pollInterval} (the flows' too, when shorter) and applies a change to the flows and the
     * decisions' feature values ({@link ServingDeclaredFeatures}: refused, logged and counted when
     * a serving flow reads a feature it removes or retypes; the customer stage writes the dead
     * letters of declared features).
     */
    public DecisionOperator withDeclaredFeatures(
            DeclaredFeatures configured,
            String watchedPath,
            Duration pollInterval,
            FeatureReaders readers) {
        this.configuredDeclared = configured;
        this.readers = readers;
        this.declaredPath = watchedPath;
        if (watchedPath != null) {
            long declaredMillis = pollInterval.toMillis();
            pollMillis = flowsPath == null ? declaredMillis : Math.min(pollMillis, declaredMillis);
        }
        return this;
    }

    /**
     * Flows may read the scores of these models (the deployment's registry; null: any, when the
     * registry is watched); the shipped models unless set.
     */
    public DecisionOperator withRuleModels(java.util.Set<String> names) {
        this.ruleModels = names == null ? null : java.util.Set.copyOf(names);
        return this;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        servingState = context.getOperatorStateStore().getBroadcastState(FLOWS);
        erasedState =
                TombstoneState.restore(
                        context.getOperatorStateStore(),
                        "decision-tombstones",
                        new Tombstones(hashSecret, List.of()));
        erased = erasedState.tombstones();
    }

    @Override
    public void open() throws Exception {
        super.open();
        decisions = new CustomerDecisions(engine);
        serving = new ServingFlows(configured, segments, engine.registry(), ruleModels);
        DeclaredFeatures declared = restoredDeclared();
        if (declared != configuredDeclared) {
            try {
                serveDeclared(declared);
            } catch (ServingDeclaredFeatures.Refused e) {
                LOG.warn("Declared features kept in state do not serve: {}", e.getMessage());
                declared = configuredDeclared;
            }
        }
        serving.restore(servingState.get(SERVING))
                .ifPresent(p -> LOG.warn("Flow definitions kept in state do not compile: {}", p));
        customers = getPartitionedState(CUSTOMER);
        timers = getInternalTimerService("decision-timers", VoidNamespaceSerializer.INSTANCE, this);
        metrics = getMetricGroup().addGroup("personalize");
        counters = new HashMap<>();
        reloads =
                new Reloads(
                        "flow definitions",
                        DeadLetterReason.INVALID_FLOWS,
                        STAGE,
                        LOG,
                        metrics.counter("flow_definitions_refused"),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        letter ->
                                output.collect(
                                        Descriptors.DEAD_LETTERS,
                                        new StreamRecord<>(letter, letter.ingestedAt)));
        metrics.gauge("flow_definitions_version", () -> serving.flows().version());
        if (flowsPath != null) {
            flowsPoller = new SegmentDefinitionsPoller(Path.of(flowsPath));
        }
        if (declaredPath != null) {
            watchDeclared(declared);
        }
        if (flowsPoller != null || declaredPoller != null) {
            schedulePoll();
        }
    }

    /** The configured declared features, or those a checkpoint kept when of a higher version. */
    private DeclaredFeatures restoredDeclared() throws Exception {
        String restored = servingState.get(DECLARED);
        if (configuredDeclared == null || restored == null) {
            return configuredDeclared;
        }
        DeclaredFeatures fromState = DeclaredFeatures.parse(restored);
        return fromState.version() > configuredDeclared.version() ? fromState : configuredDeclared;
    }

    private void watchDeclared(DeclaredFeatures serving) {
        declaredPoller = DeclaredFeaturesPoller.poller(Path.of(declaredPath));
        declaredFeatures =
                new ServingDeclaredFeatures(
                        serving,
                        () ->
                                readers == null
                                        ? FeatureReaders.flows(this.serving.flows())
                                        : readers.all(
                                                declaredFeatures.serving().registry(),
                                                FeatureReaders.flows(this.serving.flows())),
                        next -> {
                            serveDeclared(next);
                            servingState.put(DECLARED, next.source());
                        });
        declaredReloads =
                new Reloads(
                        "declared features",
                        DeadLetterReason.INVALID_DECLARED_FEATURES,
                        STAGE,
                        LOG,
                        metrics.counter("declared_features_refused"),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        letter -> {
                            // the customer stage, which computes the features, writes them
                        });
    }

    /** Flows compiled and decisions' feature values read against {@code next}'s registry. */
    private void serveDeclared(DeclaredFeatures next) throws ServingDeclaredFeatures.Refused {
        serving.withRegistry(next.registry(), next.version());
        decisions = new CustomerDecisions(engine.withDeclared(next.features()));
    }

    /** A moment of the customer: decided once the watermark is within the trigger wait of it. */
    @Override
    public void processElement1(StreamRecord<DecisionInput> element) throws Exception {
        if (element.getValue().erased) {
            // An erased customer: what waits is dropped, undecided; a pending timer finds nothing;
            // the delivery stage gives up their triggers waiting for a retry.
            // A trigger the patterns sent before they heard of it may come after: the tombstone
            // (a salted hash) keeps it undecided.
            customers.clear();
            erased.add((String) getCurrentKey());
            Decision cancellation = DeliveryStage.cancellation((String) getCurrentKey());
            output.collect(
                    Descriptors.CANCELLED_DELIVERIES,
                    new StreamRecord<>(cancellation, element.getTimestamp()));
            return;
        }
        DecisionCustomer customer = customer();
        DecisionInput input = whole(customer, element.getValue());
        long at = input.features.asOf;
        offer(customer, new WaitingInput(at, at - triggerWaitMillis, input));
    }

    /**
     * The moment as it was before {@link MomentDeltas} slimmed it: its changes laid over the last
     * moment received, which becomes this one. Moments come in the order they were made.
     */
    private static DecisionInput whole(DecisionCustomer customer, DecisionInput slim) {
        DecisionInput input = new DecisionInput();
        input.customerKey = slim.customerKey;
        input.features = MomentFields.merge(customer.received, slim.features, slim.fields);
        input.scores = slim.scores != null ? slim.scores : customer.receivedScores;
        if (input.scores == null) {
            input.scores = Map.of();
        }
        customer.received = input.features;
        customer.receivedScores = input.scores;
        return input;
    }

    /** A pattern trigger: decided once the watermark passes its time plus the trigger wait. */
    @Override
    public void processElement2(StreamRecord<DecisionInput> element) throws Exception {
        DecisionInput input = element.getValue();
        if (customers.value() == null && erased.erased(input.customerKey)) {
            return;
        }
        long at = saturatedAdd(input.trigger.at, triggerWaitMillis);
        offer(customer(), new WaitingInput(at, at, input));
    }

    private DecisionCustomer customer() throws Exception {
        DecisionCustomer customer = customers.value();
        return customer != null ? customer : new DecisionCustomer();
    }

    private void offer(DecisionCustomer customer, WaitingInput waiting) throws Exception {
        if (waiting.order < customer.clock) {
            waiting.releaseAt = Long.MIN_VALUE; // late: its place has passed, decide it next
        }
        long watermark = timers.currentWatermark();
        if (customer.waiting.isEmpty()
                && waiting.releaseAt <= watermark
                && decisions.nextWakeUp(customer) >= waiting.order) {
            decide(customer, waiting.input); // nothing before it: the usual case, no queueing
            scheduleWakeUp(customer);
        } else {
            insert(customer, waiting);
            drain(customer);
        }
        customers.update(customer);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        erasedState.snapshot();
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        DecisionCustomer customer = customers.value();
        if (customer == null) {
            return;
        }
        if (customer.wakeUpAt != null && customer.wakeUpAt <= timer.getTimestamp()) {
            customer.wakeUpAt = null;
        }
        drain(customer);
        customers.update(customer);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // no keyed processing-time timers
    }

    /** Decides, in order, every waiting input and due wake-up the watermark allows. */
    private void drain(DecisionCustomer customer) throws Exception {
        long watermark = timers.currentWatermark();
        while (true) {
            long wakeUp = decisions.nextWakeUp(customer);
            WaitingInput head = customer.waiting.isEmpty() ? null : customer.waiting.get(0);
            if (wakeUp != Long.MAX_VALUE && (head == null || wakeUp < head.order)) {
                if (wakeUp > watermark) {
                    break; // the wake-up timer calls again
                }
                emit(decisions.wakeUp(customer, wakeUp, serving.flows()));
                continue;
            }
            if (head == null) {
                break;
            }
            if (head.releaseAt > watermark) {
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, head.releaseAt);
                break;
            }
            customer.waiting.remove(0);
            decide(customer, head.input);
        }
        scheduleWakeUp(customer);
    }

    private void decide(DecisionCustomer customer, DecisionInput input) {
        emit(
                input.features != null
                        ? decisions.features(customer, input, serving.flows())
                        : decisions.trigger(customer, input.trigger, serving.flows()));
    }

    private void scheduleWakeUp(DecisionCustomer customer) {
        long next = decisions.nextWakeUp(customer);
        if (next != Long.MAX_VALUE && (customer.wakeUpAt == null || customer.wakeUpAt != next)) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, next);
            customer.wakeUpAt = next;
        }
    }

    /** Inserts by position; features before triggers of the same position, triggers stably. */
    private static void insert(DecisionCustomer customer, WaitingInput waiting) {
        List<WaitingInput> list = customer.waiting;
        int i = list.size();
        while (i > 0 && after(list.get(i - 1), waiting)) {
            i--;
        }
        list.add(i, waiting);
    }

    private static boolean after(WaitingInput a, WaitingInput b) {
        if (a.order != b.order) {
            return a.order > b.order;
        }
        if (a.rank() != b.rank()) {
            return a.rank() > b.rank();
        }
        return a.tieBreak().compareTo(b.tieBreak()) > 0;
    }

    private void emit(List<Decision> made) {
        for (Decision d : made) {
            counters.computeIfAbsent(
                            d.flowId + "/" + d.outcome,
                            k ->
                                    metrics.addGroup("flow", d.flowId)
                                            .addGroup("outcome", d.outcome)
                                            .counter("decisions"))
                    .inc();
            output.collect(new StreamRecord<>(d, d.decidedAt));
        }
    }

    private void schedulePoll() {
        long next = getProcessingTimeService().getCurrentProcessingTime() + pollMillis;
        getProcessingTimeService()
                .registerTimer(
                        next,
                        time -> {
                            poll();
                            schedulePoll();
                        });
    }

    private void poll() throws Exception {
        if (declaredPoller != null) { // first: flows may name what a features change adds
            SegmentRulesUpdate declared = declaredPoller.map(0L);
            declaredReloads.offer(declared.source, declared.readAt, declaredFeatures, declared);
        }
        if (flowsPoller == null) {
            return;
        }
        SegmentRulesUpdate reading = flowsPoller.map(0L); // taken once two polls read it alike
        if (reloads.offer(reading.source, reading.readAt, serving, reading).applied()) {
            servingState.put(SERVING, serving.text());
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
