package io.personalize.core.testing;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.events.LineItem;
import java.util.List;
import java.util.function.Consumer;

/**
 * Events of one customer ({@link #CUSTOMER_ID}) as the parser makes them, for tests, at epoch
 * milliseconds ({@link Times}). Ids derive from what the event is, so the same call gives the same
 * event; change anything else with {@link #with}.
 *
 * <pre>{@code
 * Event bought = Events.order("o1", T0 + DAY, 80.0);
 * Event looked = Events.with(Events.view("p1", "shoes", T0), e -> e.sessionId = "s1");
 * }</pre>
 */
public final class Events {
    /** The customer of every event built here (its key is {@code c:c1}). */
    public static final String CUSTOMER_ID = "c1";

    private Events() {}

    /** An event of {@code type} at {@code at}, without items; its id is the type and the time. */
    public static Event event(EventType type, long at) {
        Event event = new Event();
        event.eventId = type.wireName() + "-" + at;
        event.eventType = type;
        event.customerId = CUSTOMER_ID;
        event.occurredAt = at;
        event.ingestedAt = at;
        event.items = List.of();
        return event;
    }

    /**
     * Changes fields of an event, e.g. {@code with(view("p1", null, T0), e -> e.sessionId = "s")}.
     */
    public static Event with(Event event, Consumer<Event> change) {
        change.accept(event);
        return event;
    }

    /** An {@code order_completed} without items; its id is {@code order-<orderId>}. */
    public static Event order(String orderId, long at, double total) {
        Event event = event(EventType.ORDER_COMPLETED, at);
        event.eventId = "order-" + orderId;
        event.orderId = orderId;
        event.orderTotal = total;
        return event;
    }

    /** An {@code order_refunded} of {@code amount} of an order. */
    public static Event refund(String orderId, long at, double amount) {
        Event event = event(EventType.ORDER_REFUNDED, at);
        event.eventId = "refund-" + orderId + "-" + at;
        event.orderId = orderId;
        event.orderTotal = amount;
        return event;
    }

    /** A {@code product_view} of one product at 10.0; {@code category} may be null. */
    public static Event view(String productId, String category, long at) {
        Event event = event(EventType.PRODUCT_VIEW, at);
        event.eventId = "view-" + productId + "-" + at;
        event.items = List.of(new LineItem(productId, category, 10.0, 1));
        return event;
    }
}
