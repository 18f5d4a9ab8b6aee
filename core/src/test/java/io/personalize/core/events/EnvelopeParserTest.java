package io.personalize.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvelopeParserTest {
    private static final String SOURCE = "test.jsonl";
    private final EnvelopeParser parser = TestParsers.envelopeParser();

    private ParseResult parse(String raw) {
        return parser.parse(raw, SOURCE, TestParsers.NOW);
    }

    @Test
    void readsAnOrderWithItemsAndComputesTheTotal() {
        ParseResult result =
                parse(
                        """
                        {"event_id":"e1","event_type":"order_completed","occurred_at":"2025-03-01T10:15:00Z",
                         "customer_id":"c1","session_id":"s1",
                         "order":{"order_id":"o1","currency":"EUR","items":[
                           {"product_id":"p1","category_code":"apparel.shoes","price":20.0,"quantity":2},
                           {"product_id":"p2","price":5.5}]}}""");

        assertThat(result.isValid()).isTrue();
        Event event = result.event();
        assertThat(event.eventType).isEqualTo(EventType.ORDER_COMPLETED);
        assertThat(event.occurredAt)
                .isEqualTo(Instant.parse("2025-03-01T10:15:00Z").toEpochMilli());
        assertThat(event.customerKey()).isEqualTo("c:c1");
        assertThat(event.orderId).isEqualTo("o1");
        assertThat(event.orderTotal).isEqualTo(45.5);
        assertThat(event.items).extracting(item -> item.productId).containsExactly("p1", "p2");
        assertThat(event.items.get(1).quantity).isEqualTo(1);
        assertThat(event.source).isEqualTo(SOURCE);
    }

    @Test
    void acceptsOffsetsAndEpochMillisForEventTime() {
        long expected = Instant.parse("2025-03-01T10:15:00Z").toEpochMilli();
        String withOffset =
                "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"anonymous_id\":\"a1\","
                        + "\"occurred_at\":\"2025-03-01T11:15:00+01:00\"}";
        String epoch =
                "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"anonymous_id\":\"a1\","
                        + "\"occurred_at\":"
                        + expected
                        + "}";

        assertThat(parse(withOffset).event().occurredAt).isEqualTo(expected);
        assertThat(parse(epoch).event().occurredAt).isEqualTo(expected);
        assertThat(parse(epoch).event().customerKey()).isEqualTo("a:a1");
    }

    @Test
    void keepsUnknownFieldsInThePayload() {
        ParseResult result =
                parse(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":\"c\","
                                + "\"occurred_at\":\"2025-03-01T10:15:00Z\","
                                + "\"context\":{\"user_agent\":\"x\"},\"page\":{\"url\":\"/a\",\"extra\":1}}");

        assertThat(result.event().payload)
                .contains("\"context\":{\"user_agent\":\"x\"}")
                .contains("\"extra\":1");
    }

    @Test
    void hashesEmailAndPhoneAndDropsNamesBeforeAnythingIsKept() {
        ParseResult result =
                parse(
                        "{\"event_id\":\"e\",\"event_type\":\"profile_updated\",\"customer_id\":\"c\","
                                + "\"occurred_at\":\"2025-03-01T10:15:00Z\",\"profile\":{"
                                + "\"email\":\" Ada@Example.com\",\"phone\":\"+44 1\",\"first_name\":\"Ada\","
                                + "\"last_name\":\"Lovelace\",\"name\":\"Ada L\",\"birth_year\":1990,"
                                + "\"loyalty_tier\":\"gold\",\"timezone\":\"Europe/London\"}}");

        Event event = result.event();
        String expectedHash = TestParsers.scrubber().hash("ada@example.com");
        assertThat(event.payload)
                .doesNotContain("Ada", "Lovelace", "example.com", "+44")
                .contains("\"email_hash\":\"" + expectedHash + "\"", "\"phone_hash\"");
        assertThat(event.emailHash).isEqualTo(expectedHash);
        assertThat(event.birthYear).isEqualTo(1990);
        assertThat(event.loyaltyTier).isEqualTo("gold");
    }

    @Test
    void scrubsPersonalDataInDeadLettersToo() {
        ParseResult notJson = parse("{\"email\":\"ada@example.com\", oops");
        ParseResult invalid =
                parse(
                        "{\"event_id\":\"e\",\"event_type\":\"nope\",\"profile\":{\"email\":\"ada@example.com\"}}");

        assertThat(notJson.deadLetter().rawPayload).doesNotContain("ada@example.com");
        assertThat(notJson.deadLetter().message).doesNotContain("ada");
        assertThat(invalid.deadLetter().rawPayload).doesNotContain("ada@example.com");
    }

    @Test
    void givesTheSameRecordTheSameDeadLetterId() {
        assertThat(parse("not json").deadLetter().deadLetterId)
                .isEqualTo(parse("not json").deadLetter().deadLetterId)
                .isNotEqualTo(parse("not json either").deadLetter().deadLetterId);
    }

    static Stream<Arguments> malformedRecords() {
        String t = "\"occurred_at\":\"2025-03-01T10:15:00Z\"";
        return Stream.of(
                Arguments.of("   ", DeadLetterReason.EMPTY),
                Arguments.of(
                        "{\"event_id\":\"e\",\"pad\":\"" + "x".repeat(70_000) + "\"}",
                        DeadLetterReason.TOO_LARGE),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":", DeadLetterReason.MALFORMED_JSON),
                Arguments.of("[1,2,3]", DeadLetterReason.MALFORMED_JSON),
                Arguments.of("{\"a\":1} trailing", DeadLetterReason.MALFORMED_JSON),
                Arguments.of(
                        "{\"event_type\":\"page_view\",\"customer_id\":\"c\"," + t + "}",
                        DeadLetterReason.MISSING_FIELD),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"add_to_cart\",\"customer_id\":\"c\","
                                + t
                                + "}",
                        DeadLetterReason.MISSING_FIELD),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"consent_changed\",\"customer_id\":\"c\","
                                + t
                                + ",\"consent\":{\"granted\":\"yes\"}}",
                        DeadLetterReason.WRONG_TYPE),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"add_to_cart\",\"customer_id\":\"c\","
                                + t
                                + ",\"product\":{\"product_id\":\"p\",\"price\":\"abc\"}}",
                        DeadLetterReason.WRONG_TYPE),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"teleport\",\"customer_id\":\"c\","
                                + t
                                + "}",
                        DeadLetterReason.UNKNOWN_EVENT_TYPE),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":\"c\","
                                + "\"occurred_at\":\"2025-03-01T10:15:00\"}",
                        DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":\"c\","
                                + "\"occurred_at\":\"yesterday\"}",
                        DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":\"c\","
                                + "\"occurred_at\":1740823000}",
                        DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":\"c\","
                                + "\"occurred_at\":\"2030-01-01T00:00:00Z\"}",
                        DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\"," + t + "}",
                        DeadLetterReason.MISSING_IDENTITY),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"identify\",\"customer_id\":\"c\","
                                + t
                                + "}",
                        DeadLetterReason.MISSING_FIELD),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"product_view\",\"customer_id\":\"c\","
                                + t
                                + ",\"product\":{\"product_id\":\"p\",\"price\":-1}}",
                        DeadLetterReason.INVALID_PRICE),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"order_completed\",\"customer_id\":\"c\","
                                + t
                                + ",\"order\":{\"order_id\":\"o\",\"total\":-5}}",
                        DeadLetterReason.INVALID_PRICE),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"add_to_cart\",\"customer_id\":\"c\","
                                + t
                                + ",\"product\":{\"product_id\":\"p\",\"quantity\":0}}",
                        DeadLetterReason.INVALID_QUANTITY),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"add_to_cart\",\"customer_id\":\"c\","
                                + t
                                + ",\"product\":{\"product_id\":\"p\",\"quantity\":1.5}}",
                        DeadLetterReason.INVALID_QUANTITY));
    }

    static Stream<Arguments> hostileRecords() {
        String head = "{\"event_id\":\"e\",\"event_type\":\"add_to_cart\",\"customer_id\":\"c\",";
        String t = "\"occurred_at\":\"2025-03-01T10:15:00Z\"";
        String view = "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":\"c\",";
        return Stream.of(
                Arguments.of(
                        head + t + ",\"product\":{\"product_id\":\"p\",\"price\":1e309}}",
                        DeadLetterReason.INVALID_PRICE),
                Arguments.of(
                        head + t + ",\"product\":{\"product_id\":\"p\",\"price\":\"NaN\"}}",
                        DeadLetterReason.INVALID_PRICE),
                Arguments.of(
                        head + t + ",\"product\":{\"product_id\":\"p\",\"price\":\"-Infinity\"}}",
                        DeadLetterReason.INVALID_PRICE),
                Arguments.of(
                        head + t + ",\"product\":{\"product_id\":\"p\",\"price\":NaN}}",
                        DeadLetterReason.MALFORMED_JSON),
                Arguments.of(
                        head + t + ",\"product\":{\"product_id\":\"p\",\"price\":1e10}}",
                        DeadLetterReason.INVALID_PRICE),
                Arguments.of(
                        head
                                + t
                                + ",\"product\":{\"product_id\":\"p\",\"price\":1e308,\"quantity\":10}}",
                        DeadLetterReason.INVALID_PRICE),
                Arguments.of(
                        head
                                + t
                                + ",\"product\":{\"product_id\":\"p\",\"price\":1e9,\"quantity\":2}}",
                        DeadLetterReason.INVALID_PRICE),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"order_completed\",\"customer_id\":\"c\","
                                + t
                                + ",\"order\":{\"order_id\":\"o\",\"items\":["
                                + "{\"product_id\":\"p\",\"price\":9e8},{\"product_id\":\"q\",\"price\":9e8}]}}",
                        DeadLetterReason.INVALID_PRICE),
                Arguments.of(
                        view + "\"occurred_at\":99999999999999999999}",
                        DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(
                        view + "\"occurred_at\":18446744073709551617}",
                        DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(view + "\"occurred_at\":-1}", DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(
                        view + "\"occurred_at\":\"+999999999-12-31T23:59:59Z\"}",
                        DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(
                        view + "\"occurred_at\":\"2201-01-01T00:00:00Z\"}",
                        DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(
                        view + "\"occurred_at\":\"1969-12-31T23:59:59Z\"}",
                        DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(view + "\"occurred_at\":1.7e12}", DeadLetterReason.BAD_TIMESTAMP),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":\"c\",\"customer_id\":\"d\","
                                + t
                                + "}",
                        DeadLetterReason.MALFORMED_JSON),
                Arguments.of(
                        view + t + ",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
                        DeadLetterReason.MALFORMED_JSON),
                Arguments.of(
                        view + t + ",\"x\":" + "9".repeat(5_000) + "}",
                        DeadLetterReason.MALFORMED_JSON),
                Arguments.of(view + t + ",\"x\":\"a\u0000b\"}", DeadLetterReason.MALFORMED_JSON),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":\"c\\u0000\","
                                + t
                                + "}",
                        DeadLetterReason.WRONG_TYPE),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":12.0,"
                                + t
                                + "}",
                        DeadLetterReason.WRONG_TYPE),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":true,"
                                + t
                                + "}",
                        DeadLetterReason.WRONG_TYPE),
                Arguments.of(
                        "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":[\"c\"],"
                                + t
                                + "}",
                        DeadLetterReason.WRONG_TYPE));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("hostileRecords")
    void refusesHostileRecordsWithTheirReasonAndNoParserError(String raw, DeadLetterReason reason) {
        ParseResult result = parse(raw);

        assertThat(result.isValid()).isFalse();
        assertThat(result.deadLetter().reason).isEqualTo(reason.code());
        assertThat(result.deadLetter().message).hasSizeLessThan(300);
    }

    @Test
    void readsAWholeNumberIdAsItsDigitsSoItIsTheSameCustomerAsTheString() {
        String t = "\"occurred_at\":\"2025-03-01T10:15:00Z\"}";
        Event numeric =
                parse("{\"event_id\":17,\"event_type\":\"page_view\",\"customer_id\":123," + t)
                        .event();
        Event text =
                parse(
                                "{\"event_id\":\"17\",\"event_type\":\"page_view\",\"customer_id\":\"123\","
                                        + t)
                        .event();

        assertThat(numeric.customerKey()).isEqualTo(text.customerKey()).isEqualTo("c:123");
        assertThat(numeric.eventId).isEqualTo("17");
    }

    @Test
    void acceptsAmountsUpToTheConfiguredBound() {
        EnvelopeParser strict =
                new EnvelopeParser(
                        TestParsers.scrubber(),
                        EnvelopeParser.DEFAULT_MAX_BYTES,
                        java.time.Duration.ofDays(1),
                        new EventLimits(100, 0, Long.MAX_VALUE));
        String order =
                "{\"event_id\":\"e\",\"event_type\":\"order_completed\",\"customer_id\":\"c\","
                        + "\"occurred_at\":\"2025-03-01T10:15:00Z\",\"order\":{\"order_id\":\"o\",\"total\":";

        assertThat(strict.parse(order + "100}}", SOURCE, TestParsers.NOW).isValid()).isTrue();
        assertThat(strict.parse(order + "100.01}}", SOURCE, TestParsers.NOW).deadLetter().reason)
                .isEqualTo("invalid_price");
    }

    @Test
    void refusesA50MegabyteRecordWithoutMaskingAllOfIt() {
        String big = "{\"note\":\"" + "a@b.".repeat(50 * 1024 * 1024 / 4) + "\"}";
        long started = System.nanoTime();

        DeadLetter letter = parse(big).deadLetter();

        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
        assertThat(letter.reason).isEqualTo("too_large");
        assertThat(letter.rawPayload).hasSizeLessThanOrEqualTo(RawRecord.PREFIX_BYTES);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformedRecords")
    void refusesEachMalformedRecordWithItsReason(String raw, DeadLetterReason reason) {
        ParseResult result = parse(raw);

        assertThat(result.isValid()).isFalse();
        DeadLetter letter = result.deadLetter();
        assertThat(letter.reason).isEqualTo(reason.code());
        assertThat(letter.message).isNotBlank();
        assertThat(letter.source).isEqualTo(SOURCE);
        assertThat(letter.ingestedAt).isEqualTo(TestParsers.NOW);
        assertThat(letter.rawPayload).isNotNull();
        assertThat(letter.deadLetterId).hasSize(32);
    }
}
