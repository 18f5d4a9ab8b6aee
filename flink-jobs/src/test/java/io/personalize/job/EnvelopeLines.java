package io.personalize.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds envelope JSON lines for tests.
 *
 * <pre>{@code
 * String line = EnvelopeLines.productView("e1", "c1", T0.plus(MINUTE), "p1");
 * }</pre>
 */
public final class EnvelopeLines {
    /** Start of test time. */
    public static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    public static final Duration MINUTE = Duration.ofMinutes(1);
    public static final Duration HOUR = Duration.ofHours(1);
    public static final Duration DAY = Duration.ofDays(1);

    /** A secret for tests only. */
    public static final String SECRET = "test-secret-0123456789abcdef";

    private EnvelopeLines() {}

    /**
     * An event at {@link #T0} plus {@code minute} minutes, with the ids that are not null and
     * {@code more} members appended (each starting with a comma, e.g. {@link #product}).
     */
    public static String event(
            String eventId,
            String type,
            int minute,
            String customerId,
            String anonymousId,
            String more) {
        StringBuilder line = new StringBuilder("{\"event_id\":\"").append(eventId).append('"');
        line.append(",\"event_type\":\"").append(type).append('"');
        line.append(",\"occurred_at\":\"").append(T0.plus(MINUTE.multipliedBy(minute))).append('"');
        if (customerId != null) {
            line.append(",\"customer_id\":\"").append(customerId).append('"');
        }
        if (anonymousId != null) {
            line.append(",\"anonymous_id\":\"").append(anonymousId).append('"');
        }
        return line.append(more).append('}').toString();
    }

    /** The {@code product} member of a product event, quantity 1 (for {@link #event}). */
    public static String product(String productId, double price) {
        return ",\"product\":{\"product_id\":\""
                + productId
                + "\",\"price\":"
                + price
                + ",\"quantity\":1}";
    }

    public static String productView(
            String eventId, String customerId, Instant at, String productId) {
        return "{\"event_id\":\""
                + eventId
                + "\",\"event_type\":\"product_view\",\"occurred_at\":\""
                + at
                + "\",\"customer_id\":\""
                + customerId
                + "\",\"product\":{\"product_id\":\""
                + productId
                + "\",\"price\":10.0}}";
    }

    public static String order(
            String eventId, String customerId, Instant at, String orderId, double total) {
        return "{\"event_id\":\""
                + eventId
                + "\",\"event_type\":\"order_completed\",\"occurred_at\":\""
                + at
                + "\",\"customer_id\":\""
                + customerId
                + "\",\"order\":{\"order_id\":\""
                + orderId
                + "\",\"total\":"
                + total
                + "}}";
    }

    /** One refused record per dead-letter reason that a JSON line can have. */
    public static List<String> malformed(String idPrefix) {
        List<String> lines = new ArrayList<>();
        lines.add("{\"event_id\":\"" + idPrefix + "-broken\",");
        lines.add(
                "{\"event_type\":\"page_view\",\"customer_id\":\""
                        + idPrefix
                        + "\",\"occurred_at\":\""
                        + T0
                        + "\"}");
        lines.add(
                "{\"event_id\":\""
                        + idPrefix
                        + "-t\",\"event_type\":\"teleport\",\"customer_id\":\"c\",\"occurred_at\":\""
                        + T0
                        + "\"}");
        lines.add(
                "{\"event_id\":\""
                        + idPrefix
                        + "-ts\",\"event_type\":\"page_view\",\"customer_id\":\"c\",\"occurred_at\":\"2025-03-01 10:00\"}");
        lines.add(
                "{\"event_id\":\""
                        + idPrefix
                        + "-id\",\"event_type\":\"page_view\",\"occurred_at\":\""
                        + T0
                        + "\"}");
        lines.add(
                "{\"event_id\":\""
                        + idPrefix
                        + "-p\",\"event_type\":\"product_view\",\"customer_id\":\"c\",\"occurred_at\":\""
                        + T0
                        + "\",\"product\":{\"product_id\":\"p\",\"price\":-3}}");
        return lines;
    }
}
