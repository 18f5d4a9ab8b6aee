package io.personalize.job.customers;

import io.personalize.core.events.Event;
import io.personalize.core.identity.IdentityLink;
import io.personalize.core.privacy.Tombstones;
import io.personalize.job.Descriptors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Identity stitching, keyed by anonymous id: the events of a visitor, merged into the customer at
 * each login.
 *
 * <ul>
 *   <li>An event carrying both ids ({@code identify}, or any other) is a login: the visitor's
 *       events since the last login (at most {@code bufferEvents}, within the retention of the
 *       newest) are given again under the customer with their own event times ({@link
 *       Event#restatedFrom}: they count in the customer's features, they are not written to {@code
 *       events} again), a marker closes the anonymous key ({@link Event#closesKey}: its state is
 *       dropped and its open cart and browse waits end without a report), and a link leaves through
 *       {@link Descriptors#IDENTITY_LINKS} the first time and whenever the customer changes. A
 *       second marker ({@link Event#mergeOf}) tells the customer that the restated events are all
 *       in.
 *   <li>Events with only the anonymous id stay the visitor's until the next login, also on a device
 *       that logged in before: sent to the customer as they come, they would reach the customer's
 *       state by another path than the customer's own events, in an order that depends on timing,
 *       and the same input must give the same output.
 *   <li>A shared device: each login merges what was done since the previous one into the customer
 *       who logs in; a link to a second customer names the previous one.
 *   <li>A customer who logs in from several anonymous ids gets each visitor's history, one link per
 *       anonymous id.
 * </ul>
 *
 * <p>Only events with an anonymous id come here; those that carry a customer id as well reach the
 * customer directly (in input order, as the customer's other events), and here only merge. What is
 * buffered drops its payload: a restated event only feeds features.
 *
 * <p><b>Erasure.</b> Every {@code erasure_requested} event reaches every subtask (the broadcast
 * input): the visitors linked to the erased customer (or the anonymous id erased) are forgotten
 * here, a marker erases each of their anonymous keys in the later stages (as the request erases the
 * customer's), and their tombstones (salted hashes, {@link Tombstones}) keep out their later
 * events, and any later login of the erased customer. The tombstones are asked only for a visitor
 * without state, and for a login that would link a new customer.
 */
public class IdentityFunction extends KeyedBroadcastProcessFunction<String, Event, Event, Event>
        implements CheckpointedFunction {
    /** The broadcast input: erasure requests. Its broadcast state is not used. */
    public static final MapStateDescriptor<String, String> ERASURES =
            new MapStateDescriptor<>("identity-erasures", Types.STRING, Types.STRING);

    private static final long serialVersionUID = 1L;

    private final int bufferEvents;
    private final long retentionMillis;
    private final Duration stateTtl;
    private final Tombstones configured;
    private transient ValueState<Visitor> visitors;
    private transient ValueStateDescriptor<Visitor> visitorDescriptor;
    private transient Tombstones tombstones;
    private transient ListState<String> tombstoneState;

    /** Events the current login restated (for its link row). */
    private transient int restated;

    /**
     * @param bufferEvents the most events of a visitor kept until they identify
     * @param retentionMillis events older than this behind the visitor's newest are not kept
     */
    public IdentityFunction(int bufferEvents, long retentionMillis, Duration stateTtl) {
        this(
                bufferEvents,
                retentionMillis,
                stateTtl,
                new Tombstones("no erasures: nothing is hashed", List.of()));
    }

    /**
     * @param tombstones the keys erased before this run, with the hashing secret
     */
    public IdentityFunction(
            int bufferEvents, long retentionMillis, Duration stateTtl, Tombstones tombstones) {
        this.bufferEvents = bufferEvents;
        this.retentionMillis = retentionMillis;
        this.stateTtl = stateTtl;
        this.configured = tombstones;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        tombstoneState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("identity-tombstones", Types.STRING));
        tombstones = new Tombstones(configured.secret(), configured.subjects());
        List<String> restored = new ArrayList<>();
        tombstoneState.get().forEach(restored::add);
        tombstones.addSubjects(restored);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        tombstoneState.update(new ArrayList<>(tombstones.subjects()));
    }

    /** What is kept per anonymous id. A Flink POJO. */
    public static class Visitor {
        /** The customer the visitor is linked to, null while anonymous. */
        public String customerId;

        public long firstSeenAt = Long.MAX_VALUE;
        public List<Event> recent = new ArrayList<>();

        public Visitor() {}
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Visitor> descriptor =
                new ValueStateDescriptor<>("visitor", TypeInformation.of(Visitor.class));
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(stateTtl)
                        .disableCleanupInBackground()
                        .cleanupFullSnapshot()
                        .build());
        visitorDescriptor = descriptor;
        visitors = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(Event event, ReadOnlyContext ctx, Collector<Event> out)
            throws Exception {
        Visitor visitor = visitors.value();
        if (visitor == null) {
            if (tombstones.erased(Event.ANONYMOUS_KEY_PREFIX + event.anonymousId)) {
                return; // an erased visitor: the gate after this stage counts what it drops
            }
            visitor = new Visitor();
        }
        if (event.customerId != null
                && !event.customerId.equals(visitor.customerId)
                && tombstones.erased(Event.CUSTOMER_KEY_PREFIX + event.customerId)) {
            return; // an erased customer does not link again
        }
        visitor.firstSeenAt = Math.min(visitor.firstSeenAt, event.occurredAt);
        if (event.customerId != null) {
            String previous = visitor.customerId;
            restated = 0;
            if (previous == null || !visitor.recent.isEmpty()) {
                merge(visitor, event, out);
            }
            if (!event.customerId.equals(previous)) {
                ctx.output(Descriptors.IDENTITY_LINKS, link(visitor, event, previous, restated));
            }
            visitor.customerId = event.customerId;
            // The event itself goes to the customer by the direct path, in its input order; the
            // customer holds its later events until this marker says the restated ones are in.
            Event done = marker(event, "identity-merged:");
            done.customerId = event.customerId;
            done.mergeOf = event.eventId;
            out.collect(done);
        } else {
            // Anonymous until the next login, even on a device that logged in before: a login
            // merges what the visitor did since the last one (see merge).
            remember(visitor, event);
            out.collect(event);
        }
        visitors.update(visitor);
    }

    /**
     * An erasure: the visitors of this subtask linked to the erased customer (or the anonymous id
     * erased) are forgotten, each with a marker that erases its anonymous key downstream and a
     * tombstone.
     */
    @Override
    public void processBroadcastElement(Event erasure, Context ctx, Collector<Event> out)
            throws Exception {
        String customerId = erasure.customerId;
        String anonymousId = customerId == null ? erasure.anonymousId : null;
        if (customerId != null) {
            tombstones.add(Event.CUSTOMER_KEY_PREFIX + customerId);
        }
        List<String> forgotten = new ArrayList<>();
        ctx.applyToKeyedState(
                visitorDescriptor,
                (anonymous, state) -> {
                    Visitor visitor = state.value();
                    boolean linked =
                            visitor != null
                                    && customerId != null
                                    && customerId.equals(visitor.customerId);
                    if (linked || anonymous.equals(anonymousId)) {
                        state.clear();
                        forgotten.add(anonymous);
                    }
                });
        forgotten.sort(null);
        for (String anonymous : forgotten) {
            tombstones.add(Event.ANONYMOUS_KEY_PREFIX + anonymous);
            if (anonymous.equals(anonymousId)) {
                continue; // the request itself erases its key downstream
            }
            Event marker = marker(erasure, "erasure-linked:");
            marker.eventId = "erasure-linked:" + anonymous + ":" + erasure.eventId;
            marker.anonymousId = anonymous;
            marker.mergeOf = erasure.eventId; // the request it belongs to
            out.collect(marker);
        }
        if (anonymousId != null) {
            tombstones.add(Event.ANONYMOUS_KEY_PREFIX + anonymousId);
        }
    }

    /**
     * A login: what the visitor did since the last one counts again under the customer, then the
     * anonymous key closes (its state goes; a later anonymous event opens it afresh).
     */
    private void merge(Visitor visitor, Event event, Collector<Event> out) {
        String anonymousKey = Event.ANONYMOUS_KEY_PREFIX + event.anonymousId;
        visitor.recent.sort(
                (x, y) ->
                        x.occurredAt != y.occurredAt
                                ? Long.compare(x.occurredAt, y.occurredAt)
                                : x.eventId.compareTo(y.eventId));
        for (Event earlier : visitor.recent) {
            Event again = earlier.copy();
            again.customerId = event.customerId;
            again.restatedFrom = anonymousKey;
            again.mergeOf = event.eventId;
            out.collect(again);
        }
        Event close = marker(event, "identity-close:");
        close.anonymousId = event.anonymousId;
        close.closesKey = true;
        out.collect(close);
        restated = visitor.recent.size();
        visitor.recent = new ArrayList<>();
    }

    /**
     * A marker at the linking event's time, with an id of its own (de-duplicated as events are).
     */
    private static Event marker(Event event, String idPrefix) {
        Event marker = new Event();
        marker.eventId = idPrefix + event.anonymousId + ":" + event.eventId;
        marker.eventType = event.eventType;
        marker.occurredAt = event.occurredAt;
        marker.ingestedAt = event.ingestedAt;
        marker.source = event.source;
        return marker;
    }

    private IdentityLink link(Visitor visitor, Event event, String previous, int restated) {
        IdentityLink link = new IdentityLink();
        link.anonymousId = event.anonymousId;
        link.customerId = event.customerId;
        link.previousCustomerId = previous;
        link.firstSeenAt = visitor.firstSeenAt;
        link.linkedAt = event.occurredAt;
        link.sourceEventId = event.eventId;
        link.restatedEvents = restated;
        link.processedAt = System.currentTimeMillis();
        link.linkId =
                UUID.nameUUIDFromBytes(
                                (event.anonymousId + "\n" + event.customerId + "\n" + event.eventId)
                                        .getBytes(StandardCharsets.UTF_8))
                        .toString();
        return link;
    }

    /** Keeps the event for a later merge: the newest {@code bufferEvents}, within retention. */
    private void remember(Visitor visitor, Event event) {
        Event kept = event.copy();
        kept.payload = null;
        visitor.recent.add(kept);
        long newest = Long.MIN_VALUE;
        for (Event e : visitor.recent) {
            newest = Math.max(newest, e.occurredAt);
        }
        long horizon = newest - retentionMillis;
        visitor.recent.removeIf(e -> e.occurredAt < horizon);
        if (visitor.recent.size() > bufferEvents) {
            visitor.recent.sort((a, b) -> Long.compare(a.occurredAt, b.occurredAt));
            visitor.recent =
                    new ArrayList<>(
                            visitor.recent.subList(
                                    visitor.recent.size() - bufferEvents, visitor.recent.size()));
        }
    }
}
