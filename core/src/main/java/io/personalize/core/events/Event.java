package io.personalize.core.events;

import java.util.List;
import java.util.Objects;

/**
 * A validated customer event: the typed fields the pipeline works with, plus the whole envelope as
 * {@link #payload} (personal fields already hashed or dropped, unknown fields kept).
 *
 * <p>A Flink POJO (public no-argument constructor, public fields, {@code List} declared by its
 * interface) so that Flink serializes it without Kryo.
 */
public class Event {
    /** Prefix of the key of a known customer. */
    public static final String CUSTOMER_KEY_PREFIX = "c:";

    /** Prefix of the key of an anonymous visitor, so the two id spaces never collide. */
    public static final String ANONYMOUS_KEY_PREFIX = "a:";

    public String eventId;
    public EventType eventType;

    /** Event time, epoch milliseconds UTC. */
    public long occurredAt;

    /** When the job read the record, epoch milliseconds UTC (processing time). */
    public long ingestedAt;

    public String customerId;
    public String anonymousId;
    public String sessionId;

    /** Which input the event came from, e.g. a file name or a topic. */
    public String source;

    /** Product events: the one product; order events: the order's lines; else empty. */
    public List<LineItem> items;

    public String orderId;

    /** Order total (given, or the sum of the lines); for cancellations and refunds, the amount. */
    public Double orderTotal;

    public String currency;

    public String campaignId;
    public String decisionId;

    /** {@code email_bounced}: {@code email.bounce_type} as given ({@code hard}, {@code soft}). */
    public String bounceType;

    public String consentChannel;
    public Boolean consentGranted;

    public String birthDate;
    public Integer birthYear;
    public String loyaltyTier;
    public String country;
    public String timezone;
    public String emailHash;

    /** The envelope as JSON, with personal fields hashed or dropped. */
    public String payload;

    /**
     * Set on an anonymous event given again under the customer who identified on its device: the
     * anonymous key ({@code a:<anonymous_id>}) it was first processed under. It counts toward the
     * customer's features; it is not written to {@code events} again.
     */
    public String restatedFrom;

    /**
     * A marker, not an event: the key it is sent to ({@code a:<anonymous_id>}) was merged into a
     * customer, and its state closes without emitting anything.
     */
    public boolean closesKey;

    /**
     * The event that linked an anonymous id to this customer: set on the anonymous events restated
     * for it, and alone (no {@link #restatedFrom}) on the marker that says they were all sent.
     */
    public String mergeOf;

    /**
     * On the marker that ends a merge ({@link #isMergeDone}): how many restated events the merge
     * sent, so that the customer knows it has them all whatever the order they come in.
     */
    public int restatedEvents;

    /**
     * An anonymous event that came after a later login on its device (out of order): by event time
     * it is part of the visitor's history merged at that login, so the anonymous key, closed there,
     * counts it in its closed state, not in a new one. Still an event as read (written to {@code
     * events}).
     */
    public boolean beforeLogin;

    public Event() {}

    /** A field-by-field copy (the items list is shared: events are not changed in place). */
    public Event copy() {
        Event copy = new Event();
        copy.eventId = eventId;
        copy.eventType = eventType;
        copy.occurredAt = occurredAt;
        copy.ingestedAt = ingestedAt;
        copy.customerId = customerId;
        copy.anonymousId = anonymousId;
        copy.sessionId = sessionId;
        copy.source = source;
        copy.items = items;
        copy.orderId = orderId;
        copy.orderTotal = orderTotal;
        copy.currency = currency;
        copy.campaignId = campaignId;
        copy.decisionId = decisionId;
        copy.consentChannel = consentChannel;
        copy.consentGranted = consentGranted;
        copy.birthDate = birthDate;
        copy.birthYear = birthYear;
        copy.loyaltyTier = loyaltyTier;
        copy.country = country;
        copy.timezone = timezone;
        copy.emailHash = emailHash;
        copy.bounceType = bounceType;
        copy.payload = payload;
        copy.restatedFrom = restatedFrom;
        copy.closesKey = closesKey;
        copy.mergeOf = mergeOf;
        copy.restatedEvents = restatedEvents;
        copy.beforeLogin = beforeLogin;
        return copy;
    }

    /** Neither a restatement nor a marker: an event as it was read. */
    public boolean isOriginal() {
        return restatedFrom == null && !closesKey && mergeOf == null;
    }

    /** The marker after the restated events of {@link #mergeOf}. */
    public boolean isMergeDone() {
        return mergeOf != null && restatedFrom == null && !closesKey;
    }

    /** An event as read that carries both ids: it links the anonymous id to the customer. */
    public boolean linksIdentity() {
        return customerId != null && anonymousId != null && isOriginal() && !isErasure();
    }

    /**
     * A request to forget the key this event names ({@code erasure_requested}), or the marker that
     * forgets an anonymous key linked to an erased customer.
     */
    public boolean isErasure() {
        return eventType == EventType.ERASURE_REQUESTED;
    }

    /**
     * The key the pipeline partitions by: {@code c:<customer_id>} for a known customer, else {@code
     * a:<anonymous_id>}.
     */
    public String customerKey() {
        // asked by every keyed stage an event goes through: built (and hashed) once per id
        if (key == null || keyCustomerId != customerId || keyAnonymousId != anonymousId) {
            key =
                    customerId != null
                            ? CUSTOMER_KEY_PREFIX + customerId
                            : ANONYMOUS_KEY_PREFIX + anonymousId;
            keyCustomerId = customerId;
            keyAnonymousId = anonymousId;
        }
        return key;
    }

    /** {@link #customerKey()} and the ids it was built from; not serialized. */
    private transient String key;

    private transient String keyCustomerId;
    private transient String keyAnonymousId;

    /** The first item's product id, or {@code null}. */
    public String firstProductId() {
        return items == null || items.isEmpty() ? null : items.get(0).productId;
    }

    /** The money the event moves: the order total, or a product event's price times quantity. */
    public Double amount() {
        if (orderTotal != null) {
            return orderTotal;
        }
        if (eventType != null && eventType.isProductEvent() && items != null && !items.isEmpty()) {
            LineItem item = items.get(0);
            return item.price == null ? null : item.amount();
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Event other)) {
            return false;
        }
        return occurredAt == other.occurredAt
                && ingestedAt == other.ingestedAt
                && Objects.equals(eventId, other.eventId)
                && eventType == other.eventType
                && Objects.equals(customerId, other.customerId)
                && Objects.equals(anonymousId, other.anonymousId)
                && Objects.equals(sessionId, other.sessionId)
                && Objects.equals(source, other.source)
                && Objects.equals(items, other.items)
                && Objects.equals(orderId, other.orderId)
                && Objects.equals(orderTotal, other.orderTotal)
                && Objects.equals(currency, other.currency)
                && Objects.equals(campaignId, other.campaignId)
                && Objects.equals(decisionId, other.decisionId)
                && Objects.equals(bounceType, other.bounceType)
                && Objects.equals(consentChannel, other.consentChannel)
                && Objects.equals(consentGranted, other.consentGranted)
                && Objects.equals(birthDate, other.birthDate)
                && Objects.equals(birthYear, other.birthYear)
                && Objects.equals(loyaltyTier, other.loyaltyTier)
                && Objects.equals(country, other.country)
                && Objects.equals(timezone, other.timezone)
                && Objects.equals(emailHash, other.emailHash)
                && Objects.equals(payload, other.payload)
                && Objects.equals(restatedFrom, other.restatedFrom)
                && closesKey == other.closesKey
                && Objects.equals(mergeOf, other.mergeOf)
                && restatedEvents == other.restatedEvents
                && beforeLogin == other.beforeLogin;
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventType, occurredAt, customerId, anonymousId, orderId);
    }

    /** Ids and type only: never personal data. */
    @Override
    public String toString() {
        return "Event{" + eventId + " " + eventType + " " + customerKey() + " @" + occurredAt + "}";
    }
}
