package io.personalize.core.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Broken records, as real trackers and exports produce them, each made from a valid event so it
 * looks plausible. Every kind matches one dead-letter reason of {@code docs/event-envelope.md}, so
 * the validation path and its counters get exercised with realistic input.
 */
final class MalformedRecords {

    /** The kinds of broken record, with the dead-letter reason each one must produce. */
    enum Kind {
        TRUNCATED_JSON("malformed_json"),
        JSON_ARRAY("malformed_json"),
        MISSING_EVENT_ID("missing_field"),
        UNKNOWN_EVENT_TYPE("unknown_event_type"),
        TIMESTAMP_WITHOUT_ZONE("bad_timestamp"),
        TIMESTAMP_GARBAGE("bad_timestamp"),
        MISSING_IDENTITY("missing_identity"),
        NEGATIVE_PRICE("invalid_price"),
        ZERO_QUANTITY("invalid_quantity"),
        PRICE_AS_STRING("wrong_type"),
        EMPTY_LINE("empty"),
        OVERSIZED("too_large");

        private final String deadLetterReason;

        Kind(String deadLetterReason) {
            this.deadLetterReason = deadLetterReason;
        }

        String deadLetterReason() {
            return deadLetterReason;
        }
    }

    /** Share of malformed records that are oversized (the rest are spread over the other kinds). */
    static final double OVERSIZED_SHARE = 0.02;

    /** Size of the junk field of an oversized record: well above the 64 KiB limit. */
    static final int OVERSIZED_PADDING = 70_000;

    private static final List<String> UNKNOWN_TYPES =
            List.of("cart_update", "pageview", "purchase", "wishlist_add", "email_forwarded");
    private static final List<String> GARBAGE_TIMES =
            List.of("yesterday", "2025-13-45T99:00:00Z", "31/02/2025 10:00", "NaN", "1st of March");
    private static final List<String> PRICE_STRINGS = List.of("abc", "12,99 EUR", "free", "N/A");

    private MalformedRecords() {}

    /** A malformed record of a random kind derived from a valid event of this timeline. */
    static String corrupt(ObjectNode valid, long at, CustomerTimeline tl) {
        SplittableRandom rnd = tl.rnd;
        Kind kind;
        if (rnd.nextDouble() < OVERSIZED_SHARE) {
            kind = Kind.OVERSIZED;
        } else {
            kind = Kind.values()[rnd.nextInt(Kind.values().length - 1)];
        }
        return make(kind, valid, at, tl);
    }

    /** A malformed record of the given kind derived from a valid event of this timeline. */
    static String make(Kind kind, ObjectNode valid, long at, CustomerTimeline tl) {
        SplittableRandom rnd = tl.rnd;
        ObjectNode copy = valid.deepCopy();
        copy.put("event_id", tl.nextEventId());
        switch (kind) {
            case TRUNCATED_JSON -> {
                String text = Envelope.render(copy);
                int cut = (int) (text.length() * (0.3 + 0.6 * rnd.nextDouble()));
                return text.substring(0, Math.max(1, Math.min(cut, text.length() - 1)));
            }
            case JSON_ARRAY -> {
                return "[" + Envelope.render(copy) + "]";
            }
            case MISSING_EVENT_ID -> copy.remove("event_id");
            case UNKNOWN_EVENT_TYPE ->
                    copy.put("event_type", UNKNOWN_TYPES.get(rnd.nextInt(UNKNOWN_TYPES.size())));
            case TIMESTAMP_WITHOUT_ZONE ->
                    copy.put(
                            "occurred_at",
                            Envelope.LOCAL_NO_ZONE.format(
                                    Instant.ofEpochMilli(at).atZone(tl.traits.zone())));
            case TIMESTAMP_GARBAGE ->
                    copy.put("occurred_at", GARBAGE_TIMES.get(rnd.nextInt(GARBAGE_TIMES.size())));
            case MISSING_IDENTITY -> {
                copy.remove("customer_id");
                copy.remove("anonymous_id");
            }
            case NEGATIVE_PRICE -> priced(copy, tl).put("price", -(1 + rnd.nextInt(5000)) / 100.0);
            case ZERO_QUANTITY -> priced(copy, tl).put("quantity", 0);
            case PRICE_AS_STRING ->
                    priced(copy, tl)
                            .put("price", PRICE_STRINGS.get(rnd.nextInt(PRICE_STRINGS.size())));
            case EMPTY_LINE -> {
                return "";
            }
            case OVERSIZED -> copy.put("debug_dump", "x".repeat(OVERSIZED_PADDING));
        }
        return Envelope.render(copy);
    }

    /**
     * The product object to spoil: the event's own product, else its first order item, else a
     * product added to the record after turning it into an {@code add_to_cart}.
     */
    private static ObjectNode priced(ObjectNode copy, CustomerTimeline tl) {
        JsonNode product = copy.get("product");
        if (product instanceof ObjectNode p) {
            p.put("quantity", p.path("quantity").asInt(1));
            return p;
        }
        JsonNode items = copy.path("order").path("items");
        if (items.isArray() && items.size() > 0 && items.get(0) instanceof ObjectNode item) {
            return item;
        }
        copy.put("event_type", "add_to_cart");
        copy.remove(List.of("email", "consent", "profile", "order", "page"));
        int category = tl.traits.preferredCategories()[0];
        Catalog.Product p = tl.world.catalog.pick(category, tl.traits.priceLevel(), tl.rnd);
        return Envelope.product(copy.putObject("product"), p, 1);
    }
}
