package io.personalize.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RawRecord;
import io.personalize.core.events.RecordIntake;
import io.personalize.core.events.TestParsers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Personal data in each form a user found in clear: found, hashed, dropped or masked. */
class PersonalDataScrubberTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEAD =
            "{\"event_id\":\"e1\",\"event_type\":\"page_view\","
                    + "\"occurred_at\":\"2025-03-01T10:15:00Z\",";

    private final PersonalDataScrubber scrubber = TestParsers.scrubber();
    private final EnvelopeParser parser = TestParsers.envelopeParser();

    private ObjectNode scrubbed(String json) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(json);
        scrubber.scrub(node);
        return node;
    }

    private ParseResult parse(String raw) {
        return parser.parse(raw, "test.jsonl", TestParsers.NOW);
    }

    @Test
    void hashesEmailAndPhoneFieldsInEveryNamingStyle() throws Exception {
        ObjectNode node =
                scrubbed(
                        "{\"emailAddress\":\"Ada@Example.com\",\"e_mail\":\"ada@example.com\","
                                + "\"Email-Address\":\"ada@example.com\",\"phoneNumber\":\"+1 415 555 0193\","
                                + "\"PHONE\":\"0151 2345678\",\"mobile_phone\":\"0151 2345678\"}");

        String hash = scrubber.hash("ada@example.com");
        assertThat(node.get("emailAddress_hash").asText()).isEqualTo(hash);
        assertThat(node.get("e_mail_hash").asText()).isEqualTo(hash);
        assertThat(node.get("Email-Address_hash").asText()).isEqualTo(hash);
        assertThat(node.get("phoneNumber_hash").asText())
                .isEqualTo(scrubber.hash("+1 415 555 0193"));
        assertThat(node.has("PHONE_hash")).isTrue();
        assertThat(node.has("mobile_phone_hash")).isTrue();
        assertThat(node.toString()).doesNotContain("ada@", "Ada@", "555 0193", "2345678");
    }

    @Test
    void dropsNamesAndAddressesInEveryNamingStyleAndJsonType() throws Exception {
        ObjectNode node =
                scrubbed(
                        "{\"firstName\":\"Zephyrine\",\"lastName\":\"Quobbleworth\","
                                + "\"first_name\":\"Zephyrine\",\"FullName\":\"Zephyrine Q\","
                                + "\"shipping\":{\"recipient\":\"Marisol Dunkerfeld\","
                                + "\"address_line1\":\"17 Wobblestone Lane\",\"addressLine2\":\"Flat 3\","
                                + "\"city\":\"Springfield\"},"
                                + "\"billing_address\":{\"street\":\"17 Wobblestone Lane\"},"
                                + "\"names\":[\"x\"],\"name\":[\"Zephyrine\"],"
                                + "\"recipients\":[{\"name\":\"Marisol\"}],"
                                + "\"profile\":{\"name\":\"Ottoline Grebe\",\"country\":\"DE\"}}");

        assertThat(node.toString())
                .doesNotContain(
                        "Zephyrine",
                        "Quobbleworth",
                        "Marisol",
                        "Dunkerfeld",
                        "Wobblestone",
                        "Flat 3",
                        "Ottoline");
        assertThat(node.at("/shipping/city").asText()).isEqualTo("Springfield");
        assertThat(node.at("/profile/country").asText()).isEqualTo("DE");
        assertThat(node.has("names")).as("not a pattern: kept").isTrue();
    }

    @Test
    void hashesEveryAddressOfAnEmailGivenAsAnArray() throws Exception {
        ObjectNode node =
                scrubbed("{\"email\":[\"ada@example.com\",\"Grace@Example.com\"],\"x\":1}");

        assertThat(node.has("email")).isFalse();
        assertThat(node.get("email_hash"))
                .extracting(JsonNode::asText)
                .containsExactly(
                        scrubber.hash("ada@example.com"), scrubber.hash("grace@example.com"));
    }

    @Test
    void keepsProductNamesButNotPeoplesNames() throws Exception {
        ObjectNode node =
                scrubbed(
                        "{\"product\":{\"product_id\":\"p1\",\"name\":\"Trail shoe\"},"
                                + "\"order\":{\"items\":[{\"name\":\"Rain jacket\"}]},"
                                + "\"customer\":{\"name\":\"Ottoline Grebe\"}}");

        assertThat(node.at("/product/name").asText()).isEqualTo("Trail shoe");
        assertThat(node.at("/order/items/0/name").asText()).isEqualTo("Rain jacket");
        assertThat(node.toString()).doesNotContain("Ottoline");
    }

    @Test
    void scrubsTheEmailEngagementObjectInsteadOfDroppingIt() throws Exception {
        ObjectNode node =
                scrubbed(
                        "{\"email\":{\"campaign_id\":\"cmp-1\",\"to\":\"ada@example.com\","
                                + "\"link_url\":\"https://shop.example/a?ref=mail&email=ada%40example.com\"}}");

        assertThat(node.at("/email/campaign_id").asText()).isEqualTo("cmp-1");
        assertThat(node.toString()).doesNotContain("ada");
        assertThat(node.at("/email/link_url").asText())
                .isEqualTo("https://shop.example/a?ref=mail&email=<redacted>");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://shop.example/checkout?email=ada.lovelace%40example.com&step=2",
                "https://shop.example/checkout?step=2&contact=ada.lovelace%40example.com",
                "https://shop.example/u/ada.lovelace@example.com/orders",
                "orders for ada.lovelace@example.com last week",
                "event-ada.lovelace@example.com-consent",
                "ada.lovelace@example.com.123",
                "ADA.LOVELACE%40EXAMPLE.COM",
                "double encoded ada.lovelace%2540example.com",
                "escaped ada.lovelace\\u0040example.com",
                "call +44 7700 900461 after six",
                "call +1 (415) 555-0193",
                "https://shop.example/?phone=%2B447700900461",
                "https://shop.example/?tel=%2B447700900461&x=1",
                "tel:+447700900461",
                "(415) 555-0193 or 415-555-0193 or 415.555.0193",
                "https://shop.example/?firstName=Zephyrine&lastName=Quobbleworth",
                "{\"firstName\":\"Zephyrine\",\"address\":{\"line1\":\"17 Wobblestone\"}}",
            })
    void masksContactDetailsAndPersonalValuesInsideFreeText(String text) {
        String masked = scrubber.mask(text);

        assertThat(masked)
                .doesNotContainIgnoringCase("lovelace")
                .doesNotContain(
                        "7700",
                        "900461",
                        "555-0193",
                        "555.0193",
                        "555 0193",
                        "5550193",
                        "Zephyrine",
                        "Quobbleworth",
                        "Wobblestone");
        assertThat(masked).isNotEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2025-03-01T10:15:00Z",
                "2025-03-01T11:15:00+01:00",
                "2025-03-01 10:00",
                "1740823200000",
                "123e4567-e89b-12d3-a456-426614174000",
                "https://shop.example/p/1005115?ref=mail&utm_source=newsletter",
                "electronics.smartphone",
                "price 1234567.00 EUR",
                "order 536365-85123A",
                "c-000123",
                "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "1e+10",
            })
    void leavesTextWithoutContactDetailsAlone(String text) {
        assertThat(scrubber.mask(text)).isSameAs(text);
        assertThat(PersonalDataScrubber.looksLikeContact(text)).isFalse();
    }

    @Test
    void masksPersonalDataInTheKeptPrefixOfATooLargeRecord() {
        String record =
                HEAD
                        + "\"customer_id\":\"c1\",\"firstName\":\"Zephyrine\","
                        + "\"phoneNumber\":\"+1 415 555 0193\",\"email\":[\"ada@example.com\"],"
                        + "\"shipping\":{\"recipient\":\"Marisol Dunkerfeld\"},\"pad\":\""
                        + "x".repeat(EnvelopeParser.DEFAULT_MAX_BYTES)
                        + "\"}";
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        RawRecord raw =
                RawRecord.fromBytes(
                        bytes, 0, bytes.length, EnvelopeParser.DEFAULT_MAX_BYTES, "f@0");

        ParseResult result =
                new RecordIntake(parser, EnvelopeParser.DEFAULT_MAX_BYTES)
                        .parse(raw, "f", TestParsers.NOW);

        assertThat(result.deadLetter().reason).isEqualTo("too_large");
        assertThat(result.deadLetter().rawPayload)
                .contains("\"customer_id\":\"c1\"")
                .doesNotContain("Zephyrine", "555 0193", "ada@", "Marisol", "Dunkerfeld");
    }

    @Test
    void masksPersonalDataInARecordThatIsNotJson() {
        ParseResult result =
                parse(HEAD + "\"firstName\":\"Zephyrine\",\"phone\":\"+447700900461\", oops");

        assertThat(result.deadLetter().reason).isEqualTo("malformed_json");
        assertThat(result.deadLetter().rawPayload).doesNotContain("Zephyrine", "7700900461");
    }

    @Test
    void refusesACustomerIdThatIsAnEmailAddressWithoutKeepingIt() {
        ParseResult result = parse(HEAD + "\"customer_id\":\"Cassiopeia.Wrenfield@example.com\"}");

        assertThat(result.isInvalid()).isTrue();
        assertThat(result.deadLetter().reason)
                .isEqualTo(DeadLetterReason.PERSONAL_IDENTIFIER.code());
        assertThat(result.deadLetter().message).contains("customer_id");
        assertThat(result.deadLetter().customerId).isNull();
        assertThat(result.deadLetter().rawPayload).doesNotContainIgnoringCase("wrenfield");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+44 7700 900461", "+447700900461", "(415) 555-0193", "a@b.co"})
    void refusesAnAnonymousIdThatIsAPhoneNumberOrEmail(String id) {
        ParseResult result = parse(HEAD + "\"anonymous_id\":\"" + id + "\"}");

        assertThat(result.deadLetter().reason).isEqualTo("personal_identifier");
        assertThat(result.deadLetter().message).contains("anonymous_id");
        assertThat(result.deadLetter().rawPayload).doesNotContain(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c-000123", "17850", "541312140", "invoice:536365", "anon-3f2a9c"})
    void acceptsOrdinaryIds(String id) {
        assertThat(parse(HEAD + "\"customer_id\":\"" + id + "\"}").isValid()).isTrue();
    }

    @Test
    void hashesAContactIdIntoTheIdWhenConfiguredSoItJoinsTheEmailHash() {
        PersonalDataScrubber hashing =
                new PersonalDataScrubber(
                        TestParsers.SECRET,
                        PersonalDataPolicy.of(
                                PersonalDataPolicy.DEFAULT_HASHED,
                                PersonalDataPolicy.DEFAULT_DROPPED,
                                PersonalDataPolicy.DEFAULT_KEPT,
                                true));
        EnvelopeParser hashingParser =
                new EnvelopeParser(hashing, EnvelopeParser.DEFAULT_MAX_BYTES, Duration.ofDays(1));

        ParseResult result =
                hashingParser.parse(
                        HEAD
                                + "\"customer_id\":\"Cassiopeia.Wrenfield@Example.com\","
                                + "\"anonymous_id\":\"+447700900461\"}",
                        "test.jsonl",
                        TestParsers.NOW);

        assertThat(result.isValid()).isTrue();
        assertThat(result.event().customerId)
                .isEqualTo(hashing.hash("cassiopeia.wrenfield@example.com"));
        assertThat(result.event().anonymousId).isEqualTo(hashing.hash("+447700900461"));
        assertThat(result.event().payload).doesNotContainIgnoringCase("wrenfield");
    }

    @Test
    void appliesConfiguredPatternsInsteadOfTheDefaults() throws Exception {
        PersonalDataScrubber custom =
                new PersonalDataScrubber(
                        TestParsers.SECRET,
                        PersonalDataPolicy.of(
                                List.of("member_no"), List.of("*nickname"), List.of(), false));
        ObjectNode node =
                (ObjectNode)
                        JSON.readTree(
                                "{\"memberNo\":\"M-1\",\"petNickname\":\"Rex\",\"firstName\":\"Zeb\"}");

        custom.scrub(node);

        assertThat(node.get("memberNo_hash").asText()).isEqualTo(custom.hash("M-1"));
        assertThat(node.has("petNickname")).isFalse();
        assertThat(node.get("firstName").asText()).as("no longer a pattern").isEqualTo("Zeb");
    }

    @Test
    void refusesAPatternWithAStarInTheMiddle() {
        assertThatThrownBy(() -> FieldPatterns.parse(List.of("email", "ph*ne")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ph*ne");
    }

    @Test
    void scrubbingTwiceChangesNothingMore() throws Exception {
        ObjectNode once =
                scrubbed(
                        "{\"profile\":{\"email\":\"ada@example.com\",\"phone\":\"+447700900461\"},"
                                + "\"page\":{\"url\":\"https://s.example/?email=ada%40example.com\"}}");
        String first = once.toString();

        scrubber.scrub(once);

        assertThat(once.toString()).isEqualTo(first);
    }

    @Test
    void masksAWholeMaximumSizeRecordOfAdversarialTextInLinearTime() {
        int size = EnvelopeParser.DEFAULT_MAX_BYTES;
        List<String> shapes =
                List.of(
                        "a".repeat(60) + "@",
                        "x%40",
                        "a@" + "b".repeat(250),
                        "+1 2 3 4 ",
                        "415-555-01",
                        "\"k\":",
                        "a=",
                        "@.");
        long started = System.nanoTime();
        for (String shape : shapes) {
            String text = shape.repeat(size / shape.length());
            scrubber.mask(text);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;

        // linear: a few milliseconds each; a quadratic scan of 64 KB would take seconds
        assertThat(millis).isLessThan(2_000);
    }
}
