package io.personalize.core.events;

import static io.personalize.core.events.JsonFields.amount;
import static io.personalize.core.events.JsonFields.bool;
import static io.personalize.core.events.JsonFields.id;
import static io.personalize.core.events.JsonFields.integer;
import static io.personalize.core.events.JsonFields.object;
import static io.personalize.core.events.JsonFields.quantity;
import static io.personalize.core.events.JsonFields.requiredId;
import static io.personalize.core.events.JsonFields.requiredObject;
import static io.personalize.core.events.JsonFields.requiredText;
import static io.personalize.core.events.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an envelope (already parsed to a JSON tree) against docs/event-envelope.md and reads its
 * typed fields into an {@link Event}. Every refusal names its {@link DeadLetterReason}.
 */
public final class EventValidator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Events before 2000-01-01 are taken for a unit mistake (seconds instead of millis). */
    private static final long EARLIEST_PLAUSIBLE_MILLIS = 946_684_800_000L;

    private final long maxFutureSkewMillis;
    private final EventLimits limits;

    public EventValidator(Duration maxFutureSkew) {
        this(maxFutureSkew, EventLimits.DEFAULTS);
    }

    public EventValidator(Duration maxFutureSkew, EventLimits limits) {
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
        this.limits = limits;
    }

    /** Reads and checks the envelope; {@code ingestedAt} bounds how far in the future it may be. */
    public Event toEvent(JsonNode root, long ingestedAt) throws InvalidEventException {
        Event event = new Event();
        event.eventId = requiredId(root, "event_id", "");
        String typeName = requiredText(root, "event_type", "");
        event.eventType = EventType.fromWireName(typeName);
        if (event.eventType == null) {
            throw new InvalidEventException(
                    DeadLetterReason.UNKNOWN_EVENT_TYPE, "unknown event_type '" + typeName + "'");
        }
        event.occurredAt = occurredAt(root.get("occurred_at"), ingestedAt);
        event.ingestedAt = ingestedAt;
        readIdentity(root, event);
        event.sessionId = id(root, "session_id", "");
        event.items = List.of();
        if (event.eventType.isProductEvent()) {
            event.items = List.of(item(requiredObject(root, "product", ""), "product."));
            requireBounded(event.items.get(0).amount(), "product.price * product.quantity");
        } else if (event.eventType.isOrderEvent()) {
            readOrder(requiredObject(root, "order", ""), event);
        }
        readEmail(object(root, "email", ""), event);
        switch (event.eventType) {
            case CONSENT_CHANGED -> readConsent(requiredObject(root, "consent", ""), event);
            case PROFILE_UPDATED -> readProfile(requiredObject(root, "profile", ""), event);
            case CUSTOM -> requiredText(requiredObject(root, "custom", ""), "type", "custom.");
            default -> {}
        }
        return event;
    }

    private long occurredAt(JsonNode node, long ingestedAt) throws InvalidEventException {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            throw new InvalidEventException(
                    DeadLetterReason.MISSING_FIELD, "occurred_at is required");
        }
        long millis = parseTimestamp(node);
        if (millis < limits.earliestMillis() || millis >= limits.latestMillis()) {
            throw new InvalidEventException(
                    DeadLetterReason.BAD_TIMESTAMP,
                    "occurred_at "
                            + node.asText()
                            + " lies outside the accepted range "
                            + Instant.ofEpochMilli(limits.earliestMillis())
                            + " to "
                            + Instant.ofEpochMilli(limits.latestMillis()));
        }
        if (node.isIntegralNumber() && millis < EARLIEST_PLAUSIBLE_MILLIS) {
            throw new InvalidEventException(
                    DeadLetterReason.BAD_TIMESTAMP,
                    "occurred_at "
                            + node.asText()
                            + " is before 2000 (seconds instead of millis?)");
        }
        if (millis > ingestedAt + maxFutureSkewMillis) {
            throw new InvalidEventException(
                    DeadLetterReason.BAD_TIMESTAMP,
                    "occurred_at " + node.asText() + " lies in the future");
        }
        return millis;
    }

    /**
     * ISO-8601 with an offset or {@code Z}, or epoch milliseconds (a number or digits); a value
     * that does not fit epoch millis is refused, never wrapped.
     */
    static long parseTimestamp(JsonNode node) throws InvalidEventException {
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new InvalidEventException(
                        DeadLetterReason.BAD_TIMESTAMP,
                        "occurred_at is beyond the range of epoch millis");
            }
            return node.longValue();
        }
        if (!node.isTextual()) {
            throw new InvalidEventException(
                    DeadLetterReason.BAD_TIMESTAMP,
                    "occurred_at must be an ISO-8601 string or epoch millis");
        }
        String text = node.asText().trim();
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() < 19) {
            return Long.parseLong(text);
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new InvalidEventException(
                    DeadLetterReason.BAD_TIMESTAMP,
                    "occurred_at '"
                            + text
                            + "' is not ISO-8601 with a zone offset (e.g. 2025-03-01T10:15:00Z)"
                            + " nor epoch millis");
        }
    }

    private static void readIdentity(JsonNode root, Event event) throws InvalidEventException {
        event.customerId = id(root, "customer_id", "");
        event.anonymousId = id(root, "anonymous_id", "");
        if (event.customerId == null && event.anonymousId == null) {
            throw new InvalidEventException(
                    DeadLetterReason.MISSING_IDENTITY,
                    "the event has neither customer_id nor anonymous_id");
        }
        if (event.eventType == EventType.IDENTIFY
                && (event.customerId == null || event.anonymousId == null)) {
            throw new InvalidEventException(
                    DeadLetterReason.MISSING_FIELD,
                    "identify needs both customer_id and anonymous_id");
        }
    }

    private LineItem item(JsonNode product, String path) throws InvalidEventException {
        LineItem item = new LineItem();
        item.productId = requiredId(product, "product_id", path);
        item.name = text(product, "name", path);
        item.categoryId = text(product, "category_id", path);
        item.categoryCode = text(product, "category_code", path);
        item.brand = text(product, "brand", path);
        item.price = amount(product, "price", path, limits.maxAmount());
        item.quantity = quantity(product, "quantity", path);
        return item;
    }

    private void readOrder(JsonNode order, Event event) throws InvalidEventException {
        event.orderId = requiredId(order, "order_id", "order.");
        event.currency = text(order, "currency", "order.");
        event.country = text(order, "country", "order.");
        JsonNode items = order.get("items");
        List<LineItem> lines = new ArrayList<>();
        if (items != null && !items.isNull()) {
            if (!items.isArray()) {
                throw new InvalidEventException(
                        DeadLetterReason.WRONG_TYPE, "order.items must be an array");
            }
            for (int i = 0; i < items.size(); i++) {
                if (!items.get(i).isObject()) {
                    throw new InvalidEventException(
                            DeadLetterReason.WRONG_TYPE,
                            "order.items[" + i + "] must be an object");
                }
                LineItem line = item(items.get(i), "order.items[" + i + "].");
                requireBounded(line.amount(), "order.items[" + i + "] price * quantity");
                lines.add(line);
            }
        }
        if (event.eventType == EventType.ORDER_LINE && lines.size() != 1) {
            throw new InvalidEventException(
                    DeadLetterReason.MISSING_FIELD,
                    "order_line needs exactly one order.items entry");
        }
        event.items = List.copyOf(lines);
        Double total = amount(order, "total", "order.", limits.maxAmount());
        if (total == null) {
            total = lines.stream().mapToDouble(LineItem::amount).sum();
            requireBounded(total, "the sum of order.items");
        }
        event.orderTotal = total;
    }

    /**
     * A computed amount (each factor is bounded, so it is finite) must not exceed the bound either:
     * every sum of amounts then stays finite.
     */
    private void requireBounded(double amount, String what) throws InvalidEventException {
        if (amount > limits.maxAmount()) {
            throw new InvalidEventException(
                    DeadLetterReason.INVALID_PRICE,
                    what + " exceeds the largest accepted amount " + limits.maxAmount());
        }
    }

    private static void readEmail(JsonNode email, Event event) throws InvalidEventException {
        if (email != null) {
            event.campaignId = id(email, "campaign_id", "email.");
            event.decisionId = id(email, "decision_id", "email.");
            event.bounceType = text(email, "bounce_type", "email.");
        }
    }

    private static void readConsent(JsonNode consent, Event event) throws InvalidEventException {
        String channel = text(consent, "channel", "consent.");
        event.consentChannel = channel == null ? "email" : channel;
        event.consentGranted = bool(consent, "granted", "consent.");
        if (event.consentGranted == null) {
            throw new InvalidEventException(
                    DeadLetterReason.MISSING_FIELD, "consent.granted is required");
        }
    }

    /** A text, or the first of an array of them (several addresses give several hashes). */
    private static String firstText(JsonNode node, String path) throws InvalidEventException {
        if (node != null && node.isArray()) {
            node = node.isEmpty() ? null : node.get(0);
        }
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            throw new InvalidEventException(
                    DeadLetterReason.WRONG_TYPE, path + " must be a string (or a whole number)");
        }
        return node.asText().isBlank() ? null : node.asText();
    }

    private static void readProfile(JsonNode profile, Event event) throws InvalidEventException {
        event.birthDate = text(profile, "birth_date", "profile.");
        event.birthYear = integer(profile, "birth_year", "profile.");
        event.loyaltyTier = text(profile, "loyalty_tier", "profile.");
        event.country = text(profile, "country", "profile.");
        event.timezone = text(profile, "timezone", "profile.");
        event.emailHash = firstText(profile.get("email_hash"), "profile.email_hash");
    }
}
