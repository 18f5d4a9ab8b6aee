package io.personalize.core.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.TestParsers;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClickstreamCsvParserTest {
    private static final String SOURCE = "2019-Oct.csv";
    private final ClickstreamCsvParser parser =
            new ClickstreamCsvParser(TestParsers.envelopeParser());

    private ParseResult parse(String line) {
        return parser.parse(line, SOURCE, TestParsers.NOW);
    }

    @Test
    void skipsTheHeaderEvenWithCrlf() {
        assertThat(parse(ClickstreamCsvParser.HEADER + "\r").isValid()).isFalse();
        assertThat(parse(ClickstreamCsvParser.HEADER + "\r").isInvalid()).isFalse();
    }

    @Test
    void skipsAQuotedHeaderAndAnEmptyLine() {
        String quoted = "\"" + ClickstreamCsvParser.HEADER.replace(",", "\",\"") + "\"";
        assertThat(parse(quoted).isValid() || parse(quoted).isInvalid()).isFalse();
        assertThat(parse("").isValid() || parse("").isInvalid()).isFalse();
    }

    @Test
    void readsAViewWithCrlfEnding() {
        ParseResult result =
                parse(
                        "2019-10-01 00:00:04 UTC,view,44600062,2103807459595387724,,shiseido,35.79,"
                                + "541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c\r");

        Event event = result.event();
        assertThat(event.eventType).isEqualTo(EventType.PRODUCT_VIEW);
        assertThat(event.occurredAt)
                .isEqualTo(Instant.parse("2019-10-01T00:00:04Z").toEpochMilli());
        assertThat(event.customerId).isEqualTo("541312140");
        assertThat(event.sessionId).isEqualTo("72d76fde-8bb3-4e00-8c23-a032dfed738c");
        assertThat(event.items.get(0).productId).isEqualTo("44600062");
        assertThat(event.items.get(0).brand).isEqualTo("shiseido");
        assertThat(event.items.get(0).categoryCode).isNull();
        assertThat(event.items.get(0).price).isEqualTo(35.79);
        assertThat(event.eventId).startsWith("cs-");
    }

    @Test
    void turnsCartAndPurchaseIntoCartAndOrderLineEventsOfTheSession() {
        Event cart =
                parse("2019-10-01 00:01:00 UTC,cart,5,7,electronics.smartphone,apple,999.0,42,s-1")
                        .event();
        Event purchase =
                parse(
                                "2019-10-01 00:05:00 UTC,purchase,5,7,electronics.smartphone,apple,999.0,42,s-1")
                        .event();

        assertThat(cart.eventType).isEqualTo(EventType.ADD_TO_CART);
        assertThat(cart.items.get(0).categoryCode).isEqualTo("electronics.smartphone");
        assertThat(purchase.eventType).isEqualTo(EventType.ORDER_LINE);
        assertThat(purchase.orderId).isEqualTo("session:s-1");
        assertThat(purchase.orderTotal).isEqualTo(999.0);
    }

    @Test
    void sendsATruncatedLastLineToDeadLetters() {
        ParseResult result = parse("2019-10-01 00:00:04 UTC,view,44600062,210380745959");

        assertThat(result.deadLetter().reason).isEqualTo("malformed_csv");
        assertThat(result.deadLetter().rawPayload)
                .isEqualTo("2019-10-01 00:00:04 UTC,view,44600062,210380745959");
    }

    @Test
    void refusesABadTimeAnUnknownTypeAndANegativePrice() {
        assertThat(parse("yesterday,view,1,2,,,1.0,42,s").deadLetter().reason)
                .isEqualTo("bad_timestamp");
        assertThat(parse("2019-10-01 00:00:04 UTC,wishlist,1,2,,,1.0,42,s").deadLetter().reason)
                .isEqualTo("unknown_event_type");
        assertThat(parse("2019-10-01 00:00:04 UTC,view,1,2,,,-1.0,42,s").deadLetter().reason)
                .isEqualTo("invalid_price");
    }
}
