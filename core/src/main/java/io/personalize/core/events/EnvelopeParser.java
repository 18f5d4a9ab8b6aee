package io.personalize.core.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.core.privacy.PersonalDataScrubber;
import java.time.Duration;
import java.util.List;

/**
 * Parses one JSON envelope per record (JSON Lines): size check, JSON parse, personal data removed,
 * validation, then the typed {@link Event} with the scrubbed envelope as its payload.
 *
 * <pre>{@code
 * RecordParser parser = new EnvelopeParser(scrubber, EnvelopeParser.DEFAULT_MAX_BYTES, Duration.ofDays(1));
 * ParseResult result = parser.parse(line, "events.jsonl", System.currentTimeMillis());
 * }</pre>
 */
public final class EnvelopeParser implements RecordParser {
    private static final long serialVersionUID = 1L;

    /** Default limit on one record: 64 KiB. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    /**
     * Trailing tokens and duplicate keys are refused ({@code malformed_json}): with duplicates, two
     * readers of the same record could disagree on whose event it is. Jackson's own read limits
     * (nesting depth 1000, numbers of 1000 digits) refuse deep nesting and overlong numbers early.
     */
    static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private final PersonalDataScrubber scrubber;
    private final int maxBytes;
    private final EventValidator validator;

    public EnvelopeParser(PersonalDataScrubber scrubber, int maxBytes, Duration maxFutureSkew) {
        this(scrubber, maxBytes, maxFutureSkew, EventLimits.DEFAULTS);
    }

    public EnvelopeParser(
            PersonalDataScrubber scrubber,
            int maxBytes,
            Duration maxFutureSkew,
            EventLimits limits) {
        this.scrubber = scrubber;
        this.maxBytes = maxBytes;
        this.validator = new EventValidator(maxFutureSkew, limits);
    }

    /** The size limit of one record, in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    @Override
    public ParseResult parse(String raw, String source, long ingestedAt) {
        if (raw == null || raw.isBlank()) {
            return ParseResult.invalid(
                    DeadLetters.of(
                            DeadLetterReason.EMPTY, "empty record", source, raw, raw, ingestedAt));
        }
        if (isTooLarge(raw)) {
            return ParseResult.invalid(
                    DeadLetters.tooLarge(
                            source,
                            raw,
                            Utf8.encodedLength(raw),
                            Utf8.sha256Hex(raw),
                            maxBytes,
                            ingestedAt,
                            scrubber::mask));
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(raw);
        } catch (JacksonException e) {
            // Jackson's own message quotes the input, which may hold personal data: say where only.
            long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            return malformed(raw, source, ingestedAt, "not valid JSON (column " + column + ")");
        }
        if (!(root instanceof ObjectNode object)) {
            return malformed(raw, source, ingestedAt, "a record must be a JSON object");
        }
        return parseTree(object, raw, source, ingestedAt);
    }

    /**
     * Validates an envelope that an adapter built from another format; {@code raw} is the original
     * record, for the dead-letter id.
     */
    public ParseResult parseTree(ObjectNode envelope, String raw, String source, long ingestedAt) {
        List<String> personalIds = scrubber.guardIdentifiers(envelope);
        scrubber.scrub(envelope);
        String payload = envelope.toString();
        if (!personalIds.isEmpty()) {
            return personalIdentifier(envelope, personalIds, raw, source, payload, ingestedAt);
        }
        try {
            Event event = validator.toEvent(envelope, ingestedAt);
            event.source = source;
            event.payload = payload;
            return ParseResult.valid(event);
        } catch (InvalidEventException e) {
            DeadLetter letter =
                    DeadLetters.of(e.reason(), e.getMessage(), source, raw, payload, ingestedAt);
            letter.eventId = textOrNull(envelope, "event_id");
            letter.eventType = textOrNull(envelope, "event_type");
            letter.customerId = textOrNull(envelope, "customer_id");
            return ParseResult.invalid(letter);
        }
    }

    /** Refused, not masked: a masked id would merge every such customer into one. */
    private static ParseResult personalIdentifier(
            ObjectNode envelope,
            List<String> fields,
            String raw,
            String source,
            String payload,
            long ingestedAt) {
        DeadLetter letter =
                DeadLetters.of(
                        DeadLetterReason.PERSONAL_IDENTIFIER,
                        String.join(" and ", fields)
                                + " looks like an e-mail address or a phone number (set"
                                + " personalize.privacy.personal-ids: hash to hash it into the id)",
                        source,
                        raw,
                        payload,
                        ingestedAt);
        letter.eventId = textOrNull(envelope, "event_id");
        letter.eventType = textOrNull(envelope, "event_type");
        return ParseResult.invalid(letter);
    }

    /** Masks contact details in text with this parser's personal-data policy. */
    @Override
    public String mask(String text) {
        return scrubber.mask(text);
    }

    private ParseResult malformed(String raw, String source, long ingestedAt, String message) {
        return ParseResult.invalid(
                DeadLetters.of(
                        DeadLetterReason.MALFORMED_JSON,
                        message,
                        source,
                        raw,
                        scrubber.mask(raw),
                        ingestedAt));
    }

    private boolean isTooLarge(String raw) {
        if (raw.length() > maxBytes) {
            return true;
        }
        return raw.length() * 3L > maxBytes && Utf8.encodedLength(raw) > maxBytes;
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }
}
