package io.personalize.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordIntakeTest {
    private static final int LIMIT = 1024;
    private static final String SOURCE = "events.jsonl";
    private final RecordIntake intake = new RecordIntake(TestParsers.envelopeParser(), LIMIT);

    private static RawRecord at(String text, String position) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return RawRecord.fromBytes(bytes, 0, bytes.length, LIMIT, position);
    }

    private DeadLetter refused(RawRecord record) {
        ParseResult result = intake.parse(record, SOURCE, TestParsers.NOW);
        assertThat(result.isInvalid()).isTrue();
        return result.deadLetter();
    }

    @Test
    void twoIdenticalBadRecordsAtDifferentPositionsAreTwoDeadLetters() {
        DeadLetter first = refused(at("", "events.jsonl@0"));
        DeadLetter second = refused(at("", "events.jsonl@1"));

        assertThat(first.reason).isEqualTo("empty");
        assertThat(first.deadLetterId).isNotEqualTo(second.deadLetterId).hasSize(32);
    }

    @Test
    void theSameRecordAtTheSamePositionKeepsItsIdAcrossReads() {
        assertThat(refused(at("not json", "events.jsonl@7")).deadLetterId)
                .isEqualTo(refused(at("not json", "events.jsonl@7")).deadLetterId);
    }

    @Test
    void aRecordWithoutPositionKeepsTheContentDerivedId() {
        assertThat(refused(RawRecord.ofText("not json")).deadLetterId)
                .isEqualTo(
                        TestParsers.envelopeParser()
                                .parse("not json", SOURCE, 0)
                                .deadLetter()
                                .deadLetterId);
    }

    @Test
    void refusesInvalidUtf8AsMalformedEncodingWithoutParsing() {
        byte[] bytes =
                "{\"event_id\":\"e\",\"customer_id\":\"c\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 4] = (byte) 0xFF; // breaks the two-byte é

        DeadLetter letter = refused(RawRecord.fromBytes(bytes, 0, bytes.length, LIMIT, "f@0"));

        assertThat(letter.reason).isEqualTo("malformed_encoding");
        assertThat(letter.message).contains(bytes.length + " bytes");
    }

    @Test
    void refusesAnOversizedRecordOnItsSizeAndStoresOnlyAMaskedPrefix() {
        String big = "{\"email\":\"ada@example.com\",\"pad\":\"" + "x".repeat(100_000) + "\"}";
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);

        DeadLetter letter = refused(RawRecord.fromBytes(bytes, 0, bytes.length, LIMIT, "f@0"));

        assertThat(letter.reason).isEqualTo("too_large");
        assertThat(letter.rawPayload).hasSizeLessThanOrEqualTo(RawRecord.PREFIX_BYTES);
        assertThat(letter.rawPayload)
                .doesNotContain("ada@example.com")
                .contains("\"email\":\"<redacted>\"");
        assertThat(letter.message)
                .contains(bytes.length + " bytes")
                .contains(Utf8.sha256Hex(big))
                .doesNotContain("ada");
    }

    @Test
    void anOversizedTextRecordIsRefusedTheSameWay() {
        String big = "y".repeat(10_000);

        DeadLetter letter = refused(RawRecord.ofText(big));

        assertThat(letter.reason).isEqualTo("too_large");
        assertThat(letter.rawPayload).hasSize(RawRecord.PREFIX_BYTES);
        assertThat(letter.message).contains(Utf8.sha256Hex(big));
    }

    @Test
    void passesAValidRecordToTheParser() {
        ParseResult result =
                intake.parse(
                        at(
                                "{\"event_id\":\"e\",\"event_type\":\"page_view\",\"customer_id\":\"c\","
                                        + "\"occurred_at\":\"2025-03-01T10:15:00Z\"}",
                                "f@0"),
                        SOURCE,
                        TestParsers.NOW);

        assertThat(result.isValid()).isTrue();
    }
}
