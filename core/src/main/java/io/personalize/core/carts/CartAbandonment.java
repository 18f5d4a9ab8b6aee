package io.personalize.core.carts;

import io.personalize.core.features.CartLine;
import io.personalize.core.recommend.CustomerContext;
import io.personalize.core.recommend.Recommendation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One change in the lifecycle of an abandoned cart: abandoned, reminder due, recovered by a
 * purchase or emptied. A row of {@code cart_abandonments} and the typed record the decision stage
 * reads. A Flink POJO.
 */
public class CartAbandonment {
    /** Lifecycle of one abandonment. */
    public enum Status {
        /** {@code abandon-after} passed after the last change of a non-empty cart. */
        ABANDONED,
        /** {@code remind-after} passed after the abandonment and nothing happened to the cart. */
        REMINDER_DUE,
        /** A purchase came before the reminder was due. */
        RECOVERED,
        /** The cart was emptied by removals before the reminder was due. */
        EMPTIED;

        /** The name in tables and metrics, e.g. {@code reminder_due}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Deterministic: the customer key and the time of the cart change that was abandoned. */
    public String abandonmentId;

    public String customerKey;
    public String customerId;
    public Status status;

    /** True when an earlier abandonment of the same cart episode was recorded. */
    public boolean repeat;

    public Long episodeStartedAt;

    /** Event time of the last cart change before the abandonment. */
    public long lastChangeAt;

    /** Event time of the abandonment: {@code lastChangeAt + abandon-after}. */
    public long abandonedAt;

    /** Event time of this lifecycle change. */
    public long at;

    /** The event that recovered or emptied the cart; null otherwise. */
    public String closingEventId;

    public List<CartLine> items = new ArrayList<>();
    public double value;
    public List<Recommendation> recommendations = new ArrayList<>();

    /** What recommendations need to know of the customer, as of the last cart change. */
    public CustomerContext context;

    /** Wall-clock time the record was made (0 until the recommendation stage stamps it). */
    public long processedAt;

    public CartAbandonment() {}

    /** The abandonment of the cart as {@code lastChange} left it, at {@code at}. */
    public static CartAbandonment abandoned(CartActivity lastChange, long at) {
        CartAbandonment a = new CartAbandonment();
        a.abandonmentId = idOf(lastChange.customerKey, lastChange.at);
        a.customerKey = lastChange.customerKey;
        a.customerId = lastChange.customerId;
        a.status = Status.ABANDONED;
        a.episodeStartedAt = lastChange.episodeStartedAt;
        a.lastChangeAt = lastChange.at;
        a.abandonedAt = at;
        a.at = at;
        a.items = new ArrayList<>(lastChange.items);
        a.value = CartLine.value(lastChange.items);
        a.context = lastChange.context;
        return a;
    }

    /** The same abandonment in a later status, at {@code at}; recommendations are left out. */
    public CartAbandonment next(Status nextStatus, long nextAt, String closingEvent) {
        CartAbandonment a = new CartAbandonment();
        a.abandonmentId = abandonmentId;
        a.customerKey = customerKey;
        a.customerId = customerId;
        a.status = nextStatus;
        a.repeat = repeat;
        a.episodeStartedAt = episodeStartedAt;
        a.lastChangeAt = lastChangeAt;
        a.abandonedAt = abandonedAt;
        a.at = nextAt;
        a.closingEventId = closingEvent;
        a.items = new ArrayList<>(items);
        a.value = value;
        a.context = context;
        return a;
    }

    /** Units in the cart. */
    public int itemCount() {
        return (int) CartLine.units(items);
    }

    static String idOf(String customerKey, long lastChangeAt) {
        byte[] name = (customerKey + "|" + lastChangeAt).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(name).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CartAbandonment other
                && repeat == other.repeat
                && lastChangeAt == other.lastChangeAt
                && abandonedAt == other.abandonedAt
                && at == other.at
                && Double.compare(value, other.value) == 0
                && processedAt == other.processedAt
                && status == other.status
                && Objects.equals(abandonmentId, other.abandonmentId)
                && Objects.equals(customerKey, other.customerKey)
                && Objects.equals(customerId, other.customerId)
                && Objects.equals(episodeStartedAt, other.episodeStartedAt)
                && Objects.equals(closingEventId, other.closingEventId)
                && Objects.equals(items, other.items)
                && Objects.equals(recommendations, other.recommendations)
                && Objects.equals(context, other.context);
    }

    @Override
    public int hashCode() {
        return Objects.hash(abandonmentId, status, at);
    }

    @Override
    public String toString() {
        return "CartAbandonment{"
                + customerKey
                + " "
                + status.wireName()
                + " @"
                + at
                + (repeat ? " repeat" : "")
                + "}";
    }
}
