package io.personalize.job.customers;

import io.personalize.core.events.Event;
import io.personalize.core.identity.IdentityLink;
import io.personalize.core.privacy.Tombstones;
import io.personalize.job.Descriptors;
import io.personalize.job.events.TombstoneState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
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
 *       events} again), a marker closes the anonymous key ({@link Event#closesKey}: its state emits
 *       nothing more and is dropped once the watermark passes the login by the out-of-orderness,
 *       its open cart and browse waits end without a report), and a link leaves through {@link
 *       Descriptors#IDENTITY_LINKS} the first time and whenever the customer changes. A second
 *       marker ({@link Event#mergeOf}) tells the customer how many restated events the merge sent
 *       ({@link Event#restatedEvents}): the customer applies them, in (event time, event id) order,
 *       once it has them all, whatever order they came in (a batch replay sorts a key's input by
 *       time, and the restated events and markers all carry the login's time).
 *   <li>Which login an anonymous event belongs to is decided by event time, not by arrival: the
 *       first login at or after it on the device (a login merges only the anonymous events before
 *       it; later ones wait for the next). One that comes after that login (out of order) goes on
 *       to the anonymous key marked {@link Event#beforeLogin} (the closed key counts it in its
 *       closed state, not in a new one), and is restated with the device's next login: with its
 *       merge when that login's customer is the one it belongs to, so that the customer applies it
 *       at a point that does not depend on timing; to its own customer alone (no {@link
 *       Event#mergeOf}, applied when it comes) on a shared device where another customer logged in
 *       since.
 *   <li>A duplicate of a login or of a merged event ({@link Visitor#handled}) is not merged again:
 *       the customer's de-duplication would drop it, and the merge that counted it would never be
 *       complete.
 *   <li>Events with only the anonymous id after the last login stay the visitor's until the next
 *       login, also on a device that logged in before: sent to the customer as they come, they
 *       would reach the customer's state by another path than the customer's own events, in an
 *       order that depends on timing, and the same input must give the same output.
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

    /** Logins of one device kept (of different customers in turn: a shared device). */
    static final int MAX_LOGINS = 16;

    /** Ids of logins and merged events of one device kept to recognise their duplicates. */
    static final int MAX_HANDLED = 64;

    private final int bufferEvents;
    private final long retentionMillis;
    private final Duration stateTtl;
    private final Tombstones configured;
    private transient ValueState<Visitor> visitors;
    private transient ValueStateDescriptor<Visitor> visitorDescriptor;
    private transient TombstoneState tombstoneState;
    private transient Tombstones tombstones;

    /** Events the current login restated (for its link row). */
    private transient int restated;

    /**
     * @param bufferEvents the most events of a visitor kept until they identify
     * @param retentionMillis events older than this behind the visitor's newest are not kept
     */
    public IdentityFunction(int bufferEvents, long retentionMillis, Duration stateTtl) {
        this(bufferEvents, retentionMillis, stateTtl, Tombstones.none());
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
                TombstoneState.restore(
                        context.getOperatorStateStore(), "identity-tombstones", configured);
        tombstones = tombstoneState.tombstones();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        tombstoneState.snapshot();
    }

    /** Restated events go in this order: by event time, then event id. */
    static final Comparator<Event> IN_EVENT_TIME =
            Comparator.<Event>comparingLong(e -> e.occurredAt).thenComparing(e -> e.eventId);

    /** What is kept per anonymous id. A Flink POJO. */
    public static class Visitor {
        /** The customer the visitor is linked to, null while anonymous. */
        public String customerId;

        public long firstSeenAt = Long.MAX_VALUE;

        /** Anonymous events after the last login, not merged yet. */
        public List<Event> recent = new ArrayList<>();

        /**
         * The logins seen, by event time, only the latest of each run of one customer (an event
         * before any of them belongs to the same customer): which login a late anonymous event
         * belongs to.
         */
        public List<Login> logins = new ArrayList<>();

        /**
         * The ids of the latest logins and merged events ({@link #MAX_HANDLED}): a duplicate of one
         * is not merged again. The customer's de-duplication would drop it, and a merge that
         * counted it would never be complete.
         */
        public List<String> handled = new ArrayList<>();

        public Visitor() {}
    }

    /** A login's time and customer. A Flink POJO. */
    public static class Login {
        public long at;
        public String customerId;

        public Login() {}

        Login(long at, String customerId) {
            this.at = at;
            this.customerId = customerId;
        }
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
            if (visitor.handled.contains(event.eventId)) {
                return; // a duplicate login: merged already (and dropped on the direct path)
            }
            handled(visitor, event.eventId);
            String previous = visitor.customerId;
            restated = 0;
            rememberLogin(visitor, event);
            if (previous == null || !visitor.recent.isEmpty()) {
                merge(visitor, event, out);
            }
            if (!event.customerId.equals(previous)) {
                ctx.output(Descriptors.IDENTITY_LINKS, link(visitor, event, previous, restated));
            }
            visitor.customerId = event.customerId;
            // The event itself goes to the customer by the direct path, in its input order; the
            // customer holds its later events until it has the restated ones this marker counts.
            Event done = marker(event, "identity-merged:");
            done.customerId = event.customerId;
            done.mergeOf = event.eventId;
            done.restatedEvents = restated;
            out.collect(done);
        } else {
            // Anonymous until the next login, even on a device that logged in before: a login
            // merges what the visitor did since the last one (see merge).
            remember(visitor, event);
            if (loginAtOrAfter(visitor, event.occurredAt) != null) {
                // came after a later login: part of the history merged there (see merge)
                Event asRead = event.copy();
                asRead.beforeLogin = true;
                out.collect(asRead);
            } else {
                out.collect(event);
            }
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
                            visitor != null && customerId != null && linkedTo(visitor, customerId);
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

    /** Whether the visitor logged in as the customer, now or before (a shared device). */
    private static boolean linkedTo(Visitor visitor, String customerId) {
        if (customerId.equals(visitor.customerId)) {
            return true;
        }
        for (Login login : visitor.logins) {
            if (customerId.equals(login.customerId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A login: what the visitor did before it since the last one counts again under the customer,
     * then the anonymous key closes (a later anonymous event opens it afresh). Anonymous events
     * later than the login (it came out of order) wait for the next login. An anonymous event that
     * came after an earlier login (out of order) belongs to that login: it goes with this merge
     * when that login's customer is this one (so the customer applies it at a point that does not
     * depend on timing), else to that customer on its own (a shared device).
     */
    private void merge(Visitor visitor, Event event, Collector<Event> out) {
        String anonymousKey = Event.ANONYMOUS_KEY_PREFIX + event.anonymousId;
        List<Event> before = new ArrayList<>();
        List<Event> after = new ArrayList<>();
        for (Event earlier : visitor.recent) {
            (earlier.occurredAt <= event.occurredAt ? before : after).add(earlier);
        }
        before.sort(IN_EVENT_TIME);
        for (Event earlier : before) {
            handled(visitor, earlier.eventId);
            Event again = earlier.copy();
            again.restatedFrom = anonymousKey;
            String owner = loginAtOrAfter(visitor, earlier.occurredAt).customerId;
            again.customerId = owner;
            if (owner.equals(event.customerId)) {
                again.mergeOf = event.eventId;
                restated++;
            }
            out.collect(again);
        }
        Event close = marker(event, "identity-close:");
        close.anonymousId = event.anonymousId;
        close.closesKey = true;
        out.collect(close);
        visitor.recent = after;
    }

    /** The first login at or after {@code time}, or null when the latest login is before it. */
    private static Login loginAtOrAfter(Visitor visitor, long time) {
        for (Login login : visitor.logins) {
            if (login.at >= time) {
                return login;
            }
        }
        return null;
    }

    /**
     * Adds a login in event-time order and keeps only the latest of each run of one customer, and
     * only those within the retention of the latest (older events are refused as too old).
     */
    private void rememberLogin(Visitor visitor, Event event) {
        List<Login> logins = visitor.logins;
        int at = 0;
        while (at < logins.size() && logins.get(at).at <= event.occurredAt) {
            at++;
        }
        logins.add(at, new Login(event.occurredAt, event.customerId));
        for (int i = logins.size() - 2; i >= 0; i--) {
            if (logins.get(i).customerId.equals(logins.get(i + 1).customerId)) {
                logins.remove(i); // an event before it belongs to the same customer
            }
        }
        long horizon = logins.get(logins.size() - 1).at - retentionMillis;
        logins.removeIf(login -> login.at < horizon);
        while (logins.size() > MAX_LOGINS) {
            logins.remove(0);
        }
    }

    private static void handled(Visitor visitor, String eventId) {
        visitor.handled.add(eventId);
        if (visitor.handled.size() > MAX_HANDLED) {
            visitor.handled.remove(0);
        }
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
        if (visitor.handled.contains(event.eventId)) {
            return; // a duplicate of an event merged already
        }
        for (Event e : visitor.recent) {
            if (e.eventId.equals(event.eventId)) {
                return; // a duplicate: restated once (the customer counts what a merge sent)
            }
        }
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
            visitor.recent.sort(IN_EVENT_TIME);
            visitor.recent =
                    new ArrayList<>(
                            visitor.recent.subList(
                                    visitor.recent.size() - bufferEvents, visitor.recent.size()));
        }
    }
}
