package io.personalize.core.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds the JSON pieces of the event envelope described in {@code docs/event-envelope.md}:
 * timestamps, product objects, order objects, and the rendering of a finished event to one line.
 *
 * <p>Money is kept in euro cents and written as a decimal number with at most two fraction digits.
 */
final class Envelope {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Share of events whose {@code occurred_at} is written as epoch millis (a JSON number). */
    static final double EPOCH_MILLIS_SHARE = 0.02;

    /** Share of events whose {@code occurred_at} carries the customer's local offset. */
    static final double LOCAL_OFFSET_SHARE = 0.01;

    static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter OFFSET_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");
    static final DateTimeFormatter LOCAL_NO_ZONE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");

    private static final List<String> USER_AGENTS =
            List.of(
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) DemoBrowser/120.0",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) DemoBrowser/17.2",
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) DemoMobile/17.2",
                    "Mozilla/5.0 (Linux; Android 14; Pixel) DemoMobile/121.0",
                    "ShopApp/4.7.1 (Android 13)");

    private Envelope() {}

    /**
     * Writes {@code occurred_at} mostly as UTC millis, sometimes as epoch millis or local offset.
     */
    static void putTime(ObjectNode event, long at, ZoneId zone, SplittableRandom rnd) {
        double u = rnd.nextDouble();
        if (u < EPOCH_MILLIS_SHARE) {
            event.put("occurred_at", at);
        } else if (u < EPOCH_MILLIS_SHARE + LOCAL_OFFSET_SHARE) {
            event.put("occurred_at", OFFSET_MILLIS.format(Instant.ofEpochMilli(at).atZone(zone)));
        } else {
            event.put("occurred_at", UTC_MILLIS.format(Instant.ofEpochMilli(at)));
        }
    }

    /** An unknown-to-the-schema {@code context} object, as some trackers send; parsers keep it. */
    static void putContext(ObjectNode event, CustomerTraits traits, SplittableRandom rnd) {
        ObjectNode context = event.putObject("context");
        context.put("user_agent", USER_AGENTS.get(rnd.nextInt(USER_AGENTS.size())));
        context.put("locale", traits.region().locale());
        if (rnd.nextBoolean()) {
            context.put("screen", rnd.nextBoolean() ? "1920x1080" : "390x844");
        }
    }

    /** Euro cents as a JSON-friendly decimal (e.g. 1999 → 19.99). */
    static double money(long cents) {
        return cents / 100.0;
    }

    /** The envelope {@code product} object. */
    static ObjectNode product(ObjectNode target, Catalog.Product p, int quantity) {
        target.put("product_id", p.productId());
        target.put("name", p.name());
        target.put("category_id", p.categoryId());
        target.put("category_code", p.categoryCode());
        target.put("brand", p.brand());
        target.put("price", money(p.priceCents()));
        target.put("quantity", quantity);
        return target;
    }

    /** A cart or order line: a product and how many. */
    record Item(Catalog.Product product, int quantity) {
        long amountCents() {
            return product.priceCents() * quantity;
        }
    }

    static long totalCents(List<Item> items) {
        long sum = 0;
        for (Item i : items) {
            sum += i.amountCents();
        }
        return sum;
    }

    /** The envelope {@code order} object, with its total as the sum of the given items. */
    static ObjectNode order(ObjectNode target, String orderId, String country, List<Item> items) {
        target.put("order_id", orderId);
        target.put("total", money(totalCents(items)));
        target.put("currency", "EUR");
        target.put("country", country);
        ArrayNode array = target.putArray("items");
        for (Item i : items) {
            product(array.addObject(), i.product(), i.quantity());
        }
        return target;
    }

    /** One line of JSON for an event object. */
    static String render(ObjectNode event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
