package io.personalize.job.customers;

import io.personalize.core.events.Event;
import io.personalize.core.identity.IdentityLink;
import io.personalize.job.Descriptors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
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
 */
public class IdentityFunction extends KeyedProcessFunction<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    private final int bufferEvents;
    private final long retentionMillis;
    private final Duration stateTtl;
    private transient ValueState<Visitor> visitors;

    /** Events the current login restated (for its link row). */
    private transient int restated;

    /**
     * @param bufferEvents the most events of a visitor kept until they identify
     * @param retentionMillis events older than this behind the visitor's newest are not kept
     */
    public IdentityFunction(int bufferEvents, long retentionMillis, Duration stateTtl) {
        this.bufferEvents = bufferEvents;
        this.retentionMillis = retentionMillis;
        this.stateTtl = stateTtl;
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
        visitors = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<Event> out) throws Exception {
        Visitor visitor = visitors.value();
        if (visitor == null) {
            visitor = new Visitor();
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
