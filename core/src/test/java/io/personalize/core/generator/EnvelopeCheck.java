package io.personalize.core.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * A test-side reading of the envelope rules in {@code docs/event-envelope.md}, written directly
 * against Jackson: tells whether a line is a valid event, and if not, which dead-letter reason it
 * earns. Deliberately independent of the generator's own code.
 */
final class EnvelopeCheck {

    static final int MAX_EVENT_BYTES = 64 * 1024;

    static final Set<String> EVENT_TYPES =
            Set.of(
                    "page_view",
                    "search",
                    "checkout_started",
                    "product_view",
                    "add_to_cart",
                    "remove_from_cart",
                    "order_completed",
                    "order_line",
                    "order_cancelled",
                    "order_refunded",
                    "email_delivered",
                    "email_opened",
                    "email_clicked",
                    "email_bounced",
                    "email_unsubscribed",
                    "email_complained",
                    "consent_changed",
                    "profile_updated",
                    "identify");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The outcome: {@code reason} is null for a valid event. */
    record Result(String reason, JsonNode event, long occurredAtMillis) {
        boolean valid() {
            return reason == null;
        }

        String type() {
            return event.path("event_type").asText();
        }

        String customerId() {
            return event.path("customer_id").asText(null);
        }
    }

    private EnvelopeCheck() {}

    static Result check(String line) {
        if (line.isBlank()) {
            return bad("empty");
        }
        if (line.getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            return bad("too_large");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (Exception e) {
            return bad("malformed_json");
        }
        if (node == null || !node.isObject()) {
            return bad("malformed_json");
        }
        if (!nonEmptyText(node.get("event_id")) || !nonEmptyText(node.get("event_type"))) {
            return bad("missing_field");
        }
        String type = node.get("event_type").asText();
        if (!EVENT_TYPES.contains(type)) {
            return bad("unknown_event_type");
        }
        JsonNode time = node.get("occurred_at");
        if (time == null || time.isNull()) {
            return bad("missing_field");
        }
        long at;
        if (time.isIntegralNumber()) {
            at = time.asLong();
        } else if (time.isTextual()) {
            try {
                at = OffsetDateTime.parse(time.asText()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                return bad("bad_timestamp");
            }
        } else {
            return bad("bad_timestamp");
        }
        boolean customer = nonEmptyText(node.get("customer_id"));
        boolean anonymous = nonEmptyText(node.get("anonymous_id"));
        if (!customer && !anonymous) {
            return bad("missing_identity");
        }
        String reason =
                switch (type) {
                    case "product_view", "add_to_cart", "remove_from_cart" ->
                            product(node.get("product"));
                    case "order_completed", "order_line", "order_cancelled", "order_refunded" ->
                            order(node.get("order"), type.equals("order_line"));
                    case "consent_changed" -> {
                        JsonNode granted = node.path("consent").get("granted");
                        yield granted == null
                                ? "missing_field"
                                : granted.isBoolean() ? null : "wrong_type";
                    }
                    case "profile_updated" ->
                            node.path("profile").isObject() ? null : "missing_field";
                    case "identify" -> customer && anonymous ? null : "missing_field";
                    default -> null;
                };
        return new Result(reason, node, at);
    }

    private static String product(JsonNode product) {
        if (product == null || !product.isObject() || !nonEmptyText(product.get("product_id"))) {
            return "missing_field";
        }
        JsonNode price = product.get("price");
        if (price != null) {
            if (!price.isNumber()) {
                return "wrong_type";
            }
            double p = price.asDouble();
            if (p < 0 || Double.isNaN(p) || Double.isInfinite(p)) {
                return "invalid_price";
            }
        }
        JsonNode quantity = product.get("quantity");
        if (quantity != null) {
            if (!quantity.isNumber()) {
                return "wrong_type";
            }
            if (!quantity.isIntegralNumber() || quantity.asLong() <= 0) {
                return "invalid_quantity";
            }
        }
        return null;
    }

    private static String order(JsonNode order, boolean exactlyOneItem) {
        if (order == null || !order.isObject() || !nonEmptyText(order.get("order_id"))) {
            return "missing_field";
        }
        JsonNode total = order.get("total");
        if (total != null) {
            if (!total.isNumber()) {
                return "wrong_type";
            }
            if (total.asDouble() < 0) {
                return "invalid_price";
            }
        }
        JsonNode items = order.path("items");
        if (exactlyOneItem && (!items.isArray() || items.size() != 1)) {
            return "missing_field";
        }
        for (JsonNode item : items) {
            String reason = product(item);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static boolean nonEmptyText(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isEmpty();
    }

    private static Result bad(String reason) {
        return new Result(reason, null, Long.MIN_VALUE);
    }
}
