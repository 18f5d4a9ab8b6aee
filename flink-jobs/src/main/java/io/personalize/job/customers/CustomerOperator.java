package io.personalize.job.customers;

import io.personalize.core.carts.CartActivities;
import io.personalize.core.carts.CartActivity;
import io.personalize.core.carts.ProductInteraction;
import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.features.CartLine;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.features.Suppression;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.privacy.SuppressionList;
import io.personalize.core.segments.CompiledSegments;
import io.personalize.core.segments.SegmentChange;
import io.personalize.core.segments.SegmentCompiler;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.segments.SegmentEngine;
import io.personalize.core.segments.SegmentEngine.Transition;
import io.personalize.core.segments.SegmentValidationException;
import io.personalize.core.segments.TimeAnchors;
import io.personalize.job.Descriptors;
import io.personalize.job.features.ServingDeclaredFeatures;
import io.personalize.job.segments.SegmentMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Only base segments are evaluated here: score segments (rules that read model scores) are
 * evaluated by the scoring stage, so the features' segment list holds base segments only.
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

    /** The key of the declared features applied while running, in the same broadcast state. */
    private static final String DECLARED_KEY = "declared-features";

    private final FeatureEngine configuredEngine;
    private final Duration stateTtl;
    private final Long endOfTime;
    private final SegmentDefinitions configuredSegments;
    private boolean cartOutputs;
    private HashSet<String> configuredSuppression = new HashSet<>();
    private boolean identityMerges;
    private long keepClosedMillis;

    private transient ValueState<CustomerRecord> state;
    private transient FeatureEngine.Watch segmentInputs;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient BroadcastState<String, String> servingDefinitions;
    private transient ListState<SegmentCount> segmentCounts;
    private transient StreamRecord<CustomerFeatures> featuresRecord;
    private transient StreamRecord<SegmentChange> changeRecord;
    private transient long sessionGapMillis;

    /** The configured engine, or one with the declared features applied while running. */
    protected transient FeatureEngine engine;

    protected transient SegmentEngine segments;
    protected transient SegmentMetrics metrics;

    /** The keyed hashes of the addresses on the suppression list that serves. */
    protected transient Set<String> suppression;

    public CustomerOperator(
            FeatureEngine engine,
            Duration stateTtl,
            Long endOfTime,
            SegmentDefinitions configuredSegments) {
        this.configuredEngine = engine;
        this.stateTtl = stateTtl;
        this.endOfTime = endOfTime;
        this.configuredSegments = configuredSegments;
    }

    /**
     * Also emits {@link Descriptors#CART_ACTIVITY} (each add, removal and purchase with the cart
     * after it) and {@link Descriptors#PRODUCT_INTERACTIONS} (views, adds and bought lines with
     * their session companions), for the cart patterns and the recommender.
     */
    public CustomerOperator withCartOutputs() {
        this.cartOutputs = true;
        return this;
    }

    /**
     * Suppresses the addresses on {@code list} (matched on the customer's {@code email_hash}) from
     * the start; {@link WatchedCustomerOperator} may replace it while running.
     */
    public CustomerOperator withSuppressionList(SuppressionList list) {
        this.configuredSuppression = new HashSet<>(list.hashes());
        return this;
    }

    /**
     * Identity stitching runs upstream ({@code IdentityFunction}): after an event that links an
     * anonymous id, hold the customer's next events until the visitor's restated events are in;
     * keep a closed anonymous key's state until the watermark passes the login by {@code
     * keepClosed} (the out-of-orderness), to count its anonymous events that come late.
     */
    public CustomerOperator withIdentityMerges(Duration keepClosed) {
        this.identityMerges = true;
        this.keepClosedMillis = keepClosed.toMillis();
        return this;
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
        engine = servingEngine();
        state = getPartitionedState(Descriptors.customer(stateTtl));
        timers = getInternalTimerService("customer-timers", VoidNamespaceSerializer.INSTANCE, this);
        featuresRecord = new StreamRecord<>(null);
        changeRecord = new StreamRecord<>(null);
        sessionGapMillis = engine.config().sessionGap().toMillis();
        metrics = new SegmentMetrics(getMetricGroup());
        for (SegmentCount count : segmentCounts.get()) {
            metrics.restore(count.segmentId, count.members, count.unknown);
        }
        serveWithoutReevaluation(servingSegments());
        suppression = configuredSuppression;
    }

    private void serveWithoutReevaluation(CompiledSegments next) {
        segments = new SegmentEngine(next, SegmentEngine.Part.BASE);
        segmentInputs = FeatureEngine.watch(segments.inputFeatures());
        metrics.version(next.version());
    }

    /**
     * The configured engine, unless a checkpoint restored declared features of a higher version
     * that were applied at runtime.
     */
    private FeatureEngine servingEngine() throws Exception {
        String restored = servingDefinitions.get(DECLARED_KEY);
        if (restored != null) {
            DeclaredFeatures fromState = DeclaredFeatures.parse(restored);
            if (fromState.version() > configuredEngine.declared().version()) {
                return configuredEngine.withDeclared(fromState);
            }
        }
        return configuredEngine;
    }

    /**
     * The configured definitions, unless a checkpoint restored a higher version that was applied at
     * runtime.
     */
    private CompiledSegments servingSegments() throws Exception {
        CompiledSegments configured = compile(configuredSegments);
        String restored = servingDefinitions.get(DEFINITIONS_KEY);
        if (restored != null) {
            CompiledSegments fromState = compiler().compile(restored);
            if (fromState.version() > configured.version()) {
                return fromState;
            }
        }
        servingDefinitions.put(DEFINITIONS_KEY, configuredSegments.toYaml());
        return configured;
    }

    /** Against the registry with the deployment's declared features. */
    SegmentCompiler compiler() {
        return new SegmentCompiler(engine.declared().registry());
    }

    private CompiledSegments compile(SegmentDefinitions definitions) {
        try {
            return compiler().compile(definitions);
        } catch (SegmentValidationException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // checked at start-up already
        }
    }

    @Override
    public void processElement(StreamRecord<Event> element) throws Exception {
        Event event = element.getValue();
        if (event.isErasure()) {
            erase(event);
            return;
        }
        if (event.closesKey) {
            close(event);
            return;
        }
        CustomerRecord customer = state.value();
        if (event.beforeLogin) {
            countInClosed(customer, event);
            return;
        }
        if (customer == null || customer.closedAt != null) {
            customer = CustomerRecord.fresh(); // a closed anonymous key opens afresh
        }
        if (event.mergeOf != null) {
            merged(customer, event);
        } else if (customer.merges != null && !customer.merges.awaiting.isEmpty()) {
            customer.merges.held.add(event); // after the merge under way
            state.update(customer);
        } else {
            applyInOrder(customer, event);
            if (customer.merges != null) {
                applyCompleteMerges(customer);
            }
        }
    }

    /**
     * An event as read, or an anonymous event restated after its login (out of order, features
     * only). One that links an anonymous id opens a merge: the customer's next events wait until
     * the visitor's restated events are in, so that they are applied in the same order in every
     * run, whichever path is faster.
     */
    private void applyInOrder(CustomerRecord customer, Event event) throws Exception {
        if (event.restatedFrom != null) {
            apply(customer, event, false);
            return;
        }
        apply(customer, event, cartOutputs);
        if (identityMerges && event.linksIdentity()) {
            if (customer.merges == null) {
                customer.merges = new CustomerRecord.Merges();
            }
            customer.merges.awaiting.add(event.eventId);
        }
    }

    /**
     * A restated event, or the marker that counts them, of the merge of {@code event.mergeOf}: kept
     * until the merge has them all (they may come in any order, and before their linking event).
     */
    private void merged(CustomerRecord customer, Event event) throws Exception {
        if (customer.merges == null) {
            customer.merges = new CustomerRecord.Merges();
        }
        customer.merges.parts.add(event);
        applyCompleteMerges(customer);
    }

    /**
     * Applies the merges under way that are complete, in the order of their linking events, each
     * one's restated events in (event time, event id) order; when none is under way any more, the
     * held events, in the order they came.
     */
    private void applyCompleteMerges(CustomerRecord customer) throws Exception {
        CustomerRecord.Merges merges = customer.merges;
        while (merges != null) {
            CustomerRecord.Merges.Complete merge = merges.takeFirstComplete();
            if (merge != null) {
                applyMerge(customer, merge);
            } else if (merges.awaiting.isEmpty() && !merges.held.isEmpty()) {
                applyInOrder(customer, merges.held.remove(0));
            } else {
                break;
            }
            merges = customer.merges;
        }
        if (merges != null && merges.isEmpty()) {
            customer.merges = null;
        }
        state.update(customer);
    }

    /**
     * A complete merge: its restated events count in the features (older than what the cart
     * patterns have seen of this key); a cart they changed is then one cart change of the customer
     * at the login, so an anonymous cart the customer leaves alone is abandoned under the customer;
     * their product interactions go to browse abandonment as carried over (not to the recommender,
     * which learned them under the visitor), so products the visitor kept viewing are the
     * customer's browse abandonment unless the customer carts or buys them.
     */
    private void applyMerge(CustomerRecord customer, CustomerRecord.Merges.Complete merge)
            throws Exception {
        List<CartLine> cartBefore = cartOutputs ? copy(customer.features.cart) : null;
        long login = merge.marker().occurredAt;
        for (Event e : merge.restated()) {
            apply(customer, e, false);
            if (cartOutputs) {
                // the visitor's product interactions, for the customer's browse abandonment
                for (ProductInteraction interaction :
                        CartActivities.interactions(
                                e, (String) getCurrentKey(), customer.features, sessionGapMillis)) {
                    interaction.carriedAt = login;
                    output.collect(
                            Descriptors.PRODUCT_INTERACTIONS,
                            new StreamRecord<>(interaction, login));
                }
            }
        }
        if (cartOutputs && !cartBefore.equals(customer.features.cart)) {
            Event change = new Event();
            change.eventId = merge.marker().eventId;
            change.eventType =
                    customer.features.cart.isEmpty()
                            ? EventType.REMOVE_FROM_CART
                            : EventType.ADD_TO_CART;
            change.occurredAt = merge.marker().occurredAt;
            change.customerId = merge.marker().customerId;
            change.items = List.of();
            emitCartActivity(customer, change);
            state.update(customer);
        }
    }

    private static List<CartLine> copy(List<CartLine> cart) {
        List<CartLine> copy = new ArrayList<>(cart.size());
        for (CartLine line : cart) {
            copy.add(
                    new CartLine(
                            line.productId,
                            line.category,
                            line.quantity,
                            line.price,
                            line.changedAt));
        }
        return copy;
    }

    private void apply(CustomerRecord customer, Event event, boolean withCartOutputs)
            throws Exception {
        catchUp(customer, event.occurredAt);
        engine.apply(customer.features, event);
        Suppression.matchList(customer.features, suppression, customer.features.clock);
        if (withCartOutputs) {
            emitCartOutputs(customer, event);
        }
        update(customer, true);
    }

    /**
     * An anonymous key merged into a customer ({@code IdentityFunction}): its state closes without
     * emitting anything (it is kept, without timers of its own, until the watermark passes the
     * login by the out-of-orderness, then dropped), and the cart and browse patterns of the key are
     * told to end what they wait for without reporting it.
     */
    private void close(Event marker) throws Exception {
        CustomerRecord customer = state.value();
        if (customer != null) {
            if (customer.closedAt == null) {
                // what was due before the close, whether or not the watermark got there first
                catchUp(customer, marker.occurredAt);
                leaveSegments(customer, marker.occurredAt);
            }
            keepClosed(
                    customer,
                    Math.max(
                            marker.occurredAt,
                            customer.closedAt == null ? Long.MIN_VALUE : customer.closedAt));
        }
        if (cartOutputs) {
            emitClosed((String) getCurrentKey(), marker.occurredAt);
        }
    }

    /**
     * A closing key leaves its segments: an exit in {@code segment_changes} (reason {@link
     * #MERGED}) and in the gauges; no moment, so nothing is decided for it.
     */
    private void leaveSegments(CustomerRecord customer, long at) {
        String key = (String) getCurrentKey();
        for (Transition transition : segments.leaveAll(customer.segments, MERGED)) {
            metrics.record(transition);
            if (transition.exited()) {
                SegmentChange change =
                        SegmentChange.of(
                                key,
                                customer.features.customerId,
                                transition,
                                at,
                                System.currentTimeMillis(),
                                segments.version());
                output.collect(Descriptors.SEGMENT_CHANGES, changeRecord.replace(change, at));
            }
        }
    }

    /** The reason of a merged anonymous key's segment exits. */
    static final String MERGED = "merged into a customer (identity_links)";

    /** Tells the cart and browse patterns that the key is closed. */
    private void emitClosed(String key, long at) {
        output.collect(
                Descriptors.CART_ACTIVITY, new StreamRecord<>(CartActivity.closed(key, at), at));
        ProductInteraction closed =
                new ProductInteraction(ProductInteraction.Kind.CLOSED, null, null, at, List.of());
        closed.customerKey = key;
        output.collect(Descriptors.PRODUCT_INTERACTIONS, new StreamRecord<>(closed, at));
    }

    /**
     * An erased key (a request, or a marker for an anonymous key linked to an erased customer): its
     * state and timer go without emitting anything of it; the cart and browse patterns end what
     * they wait for without a report, and the later stages (the table writers, scoring, the
     * decisions) get the marker that makes them forget the key ({@link
     * CustomerFeatures#erasedMarker}).
     */
    private void erase(Event request) throws Exception {
        CustomerRecord customer = state.value();
        if (customer != null && customer.timerAt != null) {
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, customer.timerAt);
        }
        if (customer != null) {
            // out of the gauges; no segment_changes row of an erased key
            segments.leaveAll(customer.segments, "erased").forEach(metrics::record);
        }
        state.clear();
        String key = (String) getCurrentKey();
        if (cartOutputs) {
            emitClosed(key, request.occurredAt);
        }
        output.collect(
                featuresRecord.replace(
                        CustomerFeatures.erasedMarker(key, request.occurredAt),
                        request.occurredAt));
    }

    /**
     * An anonymous event that came after the login that closed its key (out of order, {@link
     * Event#beforeLogin}): it counts in the closed state (features only: the key's patterns have
     * ended), as it would have counted before the close had it come in time. Not in a key opened
     * again since by a later event: it belongs to the closed history.
     */
    private void countInClosed(CustomerRecord customer, Event event) throws Exception {
        if (customer != null && customer.closedAt == null) {
            return;
        }
        if (customer == null) {
            customer = CustomerRecord.fresh(); // closed before it had any state
            customer.closedAt = event.occurredAt;
        }
        apply(customer, event, false);
        keepClosed(customer, customer.closedAt);
    }

    /** Closes the record at {@code at}: its one timer drops it once no late event can come. */
    private void keepClosed(CustomerRecord customer, long at) throws Exception {
        customer.closedAt = at;
        long dropAt =
                at > Long.MAX_VALUE - keepClosedMillis ? Long.MAX_VALUE : at + keepClosedMillis;
        reschedule(customer, Math.max(dropAt, at + 1));
        state.update(customer);
    }

    private void emitCartOutputs(CustomerRecord customer, Event event) {
        long at = event.occurredAt;
        for (ProductInteraction interaction :
                CartActivities.interactions(
                        event, (String) getCurrentKey(), customer.features, sessionGapMillis)) {
            output.collect(Descriptors.PRODUCT_INTERACTIONS, new StreamRecord<>(interaction, at));
        }
        emitCartActivity(customer, event);
    }

    private void emitCartActivity(CustomerRecord customer, Event event) {
        long at = event.occurredAt;
        CartActivity.Kind kind = CartActivities.kindOf(event.eventType);
        if (kind == null) {
            return;
        }
        customer.cartEpisodeStartedAt =
                CartActivities.episodeAfter(
                        customer.cartEpisodeStartedAt, kind, customer.features.cart.isEmpty(), at);
        CartActivity activity =
                CartActivities.activity(
                        event,
                        (String) getCurrentKey(),
                        customer.features,
                        customer.cartEpisodeStartedAt);
        output.collect(Descriptors.CART_ACTIVITY, new StreamRecord<>(activity, at));
    }

    /**
     * Goes through what is due before an event's time that the watermark has not fired yet (the
     * event arrived ahead of the watermark, e.g. in a fast replay or while another source split
     * holds the watermark back), at its own time, as the watermark would have: the customer's timer
     * emits its moment (so a customer still enters Lapsed at order + 60 d + 1 ms, not at their next
     * event), and a membership change due in between emits its change with the features row. The
     * customer's moments are then the same whenever the watermark comes.
     */
    private void catchUp(CustomerRecord customer, long eventTime) throws Exception {
        while (true) {
            Long timer = customer.timerAt;
            long next = Math.min(customer.segments.dueAt, timer == null ? Long.MAX_VALUE : timer);
            if (next >= eventTime || (endOfTime != null && next > endOfTime)) {
                return;
            }
            engine.advanceTo(customer.features, next);
            // the customer's timer, fired here as the watermark would have fired it first: the
            // moments a customer goes through do not depend on when the watermark came
            update(customer, timer != null && timer == next);
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        long timestamp = timer.getTimestamp();
        CustomerRecord customer = state.value();
        if (customer == null || customer.timerAt == null || customer.timerAt != timestamp) {
            return; // expired, or replaced by a later registration
        }
        customer.timerAt = null;
        if (customer.closedAt != null) {
            state.clear(); // a closed anonymous key: no late event of before its close can come
            return;
        }
        if (endOfTime != null && timestamp > endOfTime) {
            state.update(customer);
            return;
        }
        engine.advanceTo(customer.features, timestamp);
        long next = update(customer, true);
        if (endOfTime != null) {
            // A batch replay fires timers once, after the key's last event, and does not fire
            // timers set from inside a timer: catch up with every change until the end here.
            while (next <= endOfTime) {
                engine.advanceTo(customer.features, next);
                next = update(customer, true);
            }
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // no processing-time timers
    }

    /**
     * Evaluates segments, emits what changed, sets the customer's timer and stores the record.
     *
     * @param emitFeatures emit the features even when no membership changed
     * @return the timer's time ({@link Long#MAX_VALUE} when nothing is pending)
     */
    protected long update(CustomerRecord customer, boolean emitFeatures) throws Exception {
        String key = (String) getCurrentKey();
        CustomerState current = customer.features;
        CustomerFeatures features = engine.snapshot(current, key, System.currentTimeMillis());
        TimeAnchors anchors = TimeAnchors.of(engine, current);
        boolean closed = customer.closedAt != null; // a merged visitor: in no segment
        List<Transition> transitions =
                closed ? List.of() : segments.evaluate(customer.segments, features, anchors);
        long segmentsNext = closed ? Long.MAX_VALUE : segments.nextChangeAt(features, anchors);
        customer.segments.dueAt =
                Math.min(segmentsNext, engine.nextChangeAt(current, segmentInputs));
        features.segments = segments.members(customer.segments);
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
                if (features.segmentChanges == null) {
                    features.segmentChanges = new ArrayList<>(2);
                }
                features.segmentChanges.add(change);
            }
        }
        if (emitFeatures || !transitions.isEmpty()) {
            output.collect(featuresRecord.replace(features, features.asOf));
        }
        long next = reschedule(customer, Math.min(engine.nextChangeAt(current), segmentsNext));
        state.update(customer);
        return next;
    }

    private long reschedule(CustomerRecord customer, long next) {
        Long pending = customer.timerAt;
        if (pending != null && pending != next) {
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, pending);
            customer.timerAt = null;
        }
        if (next != Long.MAX_VALUE && (pending == null || pending != next)) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, next);
            customer.timerAt = next;
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
        serveWithoutReevaluation(next);
        List<String> keys;
        try (var stream =
                getKeyedStateBackend().getKeys(Descriptors.CUSTOMER, VoidNamespace.INSTANCE)) {
            keys = stream.map(k -> (String) k).toList();
        }
        long watermark = timers.currentWatermark();
        for (String key : keys) {
            setCurrentKey(key);
            CustomerRecord customer = state.value();
            if (customer == null || customer.closedAt != null) {
                continue; // expired, or a closed anonymous key
            }
            if (endOfTime == null || watermark <= endOfTime) {
                engine.advanceTo(customer.features, watermark);
            }
            update(customer, false);
        }
    }

    /**
     * Serves changed declared features (already judged): kept for restore, the serving segments
     * compiled again against the registry with them, and every customer this subtask knows
     * evaluated again as of the current watermark ({@link #serve}). A windowed aggregate they add
     * starts empty, from this moment; the values of features they remove leave each customer's
     * state at its next advance.
     */
    protected void serveDeclared(DeclaredFeatures next) throws Exception {
        CompiledSegments recompiled;
        try {
            recompiled =
                    new SegmentCompiler(next.registry()).compile(segments.segments().definitions());
        } catch (SegmentValidationException e) {
            throw new ServingDeclaredFeatures.Refused(
                    "the serving segment definitions version "
                            + segments.version()
                            + " do not compile with declared features version "
                            + next.version()
                            + ":\n"
                            + e.getMessage());
        }
        engine = configuredEngine.withDeclared(next);
        servingDefinitions.put(DECLARED_KEY, next.source());
        serve(recompiled);
    }

    /**
     * Serves a new suppression list: every customer this subtask knows whose address joins or
     * leaves the list changes as of the current watermark (or their last event, when later) and
     * emits their features. Kept for the run only: after a restore the configured file serves.
     */
    protected void serveSuppression(Set<String> next) throws Exception {
        suppression = next;
        List<String> keys;
        try (var stream =
                getKeyedStateBackend().getKeys(Descriptors.CUSTOMER, VoidNamespace.INSTANCE)) {
            keys = stream.map(k -> (String) k).toList();
        }
        long watermark = timers.currentWatermark();
        for (String key : keys) {
            setCurrentKey(key);
            CustomerRecord customer = state.value();
            if (customer == null
                    || customer.closedAt != null
                    || !Suppression.listChanges(customer.features, next)) {
                continue;
            }
            if (endOfTime == null || watermark <= endOfTime) {
                engine.advanceTo(customer.features, watermark);
            }
            Suppression.matchList(customer.features, next, customer.features.clock);
            update(customer, true);
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

        public SegmentCount(String segmentId, long members, long unknown) {
            this.segmentId = segmentId;
            this.members = members;
            this.unknown = unknown;
        }
    }
}
