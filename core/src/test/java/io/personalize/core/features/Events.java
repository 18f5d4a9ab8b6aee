package io.personalize.core.features;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.events.LineItem;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Builds events of one customer the way the parser would, for feature tests. */
final class Events {
    /** A Monday at midnight UTC: a whole minute, so minute-merged entries start on it. */
    static final Instant T0 = Instant.parse("2025-03-03T00:00:00Z");

    static final Duration MS = Duration.ofMillis(1);
    static final Duration SECOND = Duration.ofSeconds(1);
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Duration HOUR = Duration.ofHours(1);
    static final Duration DAY = Duration.ofDays(1);

    static final String CUSTOMER_ID = "cust-1";

    private static final AtomicLong IDS = new AtomicLong();

    private Events() {}

    static Duration days(long days) {
        return Duration.ofDays(days);
    }

    static Event event(EventType type, Instant at) {
        Event event = new Event();
        event.eventId = "evt-" + IDS.incrementAndGet();
        event.eventType = type;
        event.occurredAt = at.toEpochMilli();
        event.ingestedAt = event.occurredAt;
        event.customerId = CUSTOMER_ID;
        event.items = List.of();
        return event;
    }

    /** Changes fields of an event, e.g. {@code with(view("p1", T0), e -> e.sessionId = "s1")}. */
    static Event with(Event event, Consumer<Event> change) {
        change.accept(event);
        return event;
    }

    static Event inSession(String sessionId, Event event) {
        return with(event, e -> e.sessionId = sessionId);
    }

    static LineItem item(String productId, String category, double price, int quantity) {
        return new LineItem(productId, category, price, quantity);
    }

    // orders

    /** An {@code order_completed} of 100 without items. */
    static Event order(String orderId, Instant at) {
        return order(orderId, at, 100.0);
    }

    static Event order(String orderId, Instant at, double total) {
        Event event = event(EventType.ORDER_COMPLETED, at);
        event.orderId = orderId;
        event.orderTotal = total;
        return event;
    }

    /** An {@code order_completed} with items; the total is their sum, as the parser makes it. */
    static Event order(String orderId, Instant at, LineItem... items) {
        Event event = order(orderId, at, sum(items));
        event.items = List.of(items);
        return event;
    }

    /** One row of a transaction export: an {@code order_line} with one item. */
    static Event orderLine(String orderId, Instant at, LineItem item) {
        Event event = event(EventType.ORDER_LINE, at);
        event.orderId = orderId;
        event.items = List.of(item);
        event.orderTotal = item.amount();
        return event;
    }

    static Event cancellation(String orderId, Instant at, double amount) {
        Event event = event(EventType.ORDER_CANCELLED, at);
        event.orderId = orderId;
        event.orderTotal = amount;
        return event;
    }

    static Event refund(String orderId, Instant at, double amount) {
        Event event = event(EventType.ORDER_REFUNDED, at);
        event.orderId = orderId;
        event.orderTotal = amount;
        return event;
    }

    // browsing

    static Event pageView(Instant at) {
        return event(EventType.PAGE_VIEW, at);
    }

    static Event view(String productId, Instant at) {
        return view(productId, null, at);
    }

    static Event view(String productId, String category, Instant at) {
        Event event = event(EventType.PRODUCT_VIEW, at);
        event.items = List.of(item(productId, category, 10.0, 1));
        return event;
    }

    static Event addToCart(String productId, double price, int quantity, Instant at) {
        return addToCart(productId, null, price, quantity, at);
    }

    static Event addToCart(
            String productId, String category, double price, int quantity, Instant at) {
        Event event = event(EventType.ADD_TO_CART, at);
        event.items = List.of(item(productId, category, price, quantity));
        return event;
    }

    static Event removeFromCart(String productId, int quantity, Instant at) {
        Event event = event(EventType.REMOVE_FROM_CART, at);
        LineItem item = new LineItem();
        item.productId = productId;
        item.quantity = quantity;
        event.items = List.of(item);
        return event;
    }

    // email

    static Event delivered(Instant at) {
        return event(EventType.EMAIL_DELIVERED, at);
    }

    static Event opened(Instant at) {
        return event(EventType.EMAIL_OPENED, at);
    }

    static Event clicked(Instant at) {
        return event(EventType.EMAIL_CLICKED, at);
    }

    static Event unsubscribed(Instant at) {
        return event(EventType.EMAIL_UNSUBSCRIBED, at);
    }

    static Event complained(Instant at) {
        return event(EventType.EMAIL_COMPLAINED, at);
    }

    /** A {@code consent_changed} for email (the parser's default channel). */
    static Event consent(boolean granted, Instant at) {
        return consent("email", granted, at);
    }

    static Event consent(String channel, boolean granted, Instant at) {
        Event event = event(EventType.CONSENT_CHANGED, at);
        event.consentChannel = channel;
        event.consentGranted = granted;
        return event;
    }

    // profile

    /**
     * A {@code profile_updated} with the fields {@code fields} sets, e.g. {@code e -> e.birthYear =
     * 1990}.
     */
    static Event profile(Instant at, Consumer<Event> fields) {
        return with(event(EventType.PROFILE_UPDATED, at), fields);
    }

    private static double sum(LineItem... items) {
        return Arrays.stream(items).mapToDouble(LineItem::amount).sum();
    }
}
