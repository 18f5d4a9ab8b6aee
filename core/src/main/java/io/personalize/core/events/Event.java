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

    public Event() {}

    /**
     * The key the pipeline partitions by: {@code c:<customer_id>} for a known customer, else {@code
     * a:<anonymous_id>}.
     */
    public String customerKey() {
        return customerId != null
                ? CUSTOMER_KEY_PREFIX + customerId
                : ANONYMOUS_KEY_PREFIX + anonymousId;
    }

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
                && Objects.equals(payload, other.payload);
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
