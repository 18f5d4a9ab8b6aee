package io.personalize.core.events;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The event types of the envelope (docs/event-envelope.md), with their wire names. */
public enum EventType {
    PAGE_VIEW,
    SEARCH,
    PRODUCT_VIEW,
    ADD_TO_CART,
    REMOVE_FROM_CART,
    CHECKOUT_STARTED,
    ORDER_COMPLETED,
    ORDER_LINE,
    ORDER_CANCELLED,
    ORDER_REFUNDED,
    EMAIL_DELIVERED,
    EMAIL_OPENED,
    EMAIL_CLICKED,
    EMAIL_BOUNCED,
    EMAIL_UNSUBSCRIBED,
    EMAIL_COMPLAINED,
    CONSENT_CHANGED,
    PROFILE_UPDATED,
    IDENTIFY,
    /**
     * An event of the business's own ({@code custom.type}, e.g. {@code support_call}): counted by
     * declared windowed features only.
     */
    CUSTOM,
    /** A request to forget the customer the event names (see the README, Erasure). */
    ERASURE_REQUESTED;

    private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

    static {
        for (EventType type : values()) {
            BY_WIRE_NAME.put(type.wireName(), type);
        }
    }

    /** The name used in JSON, e.g. {@code add_to_cart}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for a wire name, or {@code null} when the name is not a known type. */
    public static EventType fromWireName(String wireName) {
        return BY_WIRE_NAME.get(wireName);
    }

    /** Events that carry a single {@code product} object. */
    public boolean isProductEvent() {
        return this == PRODUCT_VIEW || this == ADD_TO_CART || this == REMOVE_FROM_CART;
    }

    /** Events that carry an {@code order} object. */
    public boolean isOrderEvent() {
        return this == ORDER_COMPLETED
                || this == ORDER_LINE
                || this == ORDER_CANCELLED
                || this == ORDER_REFUNDED;
    }
}
