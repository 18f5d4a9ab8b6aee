package io.personalize.core.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.EventType;
import io.personalize.core.events.ParseResult;
import io.personalize.core.privacy.PersonalDataScrubber;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads generated lines with the job's own {@link EnvelopeParser}: tells whether a line is a valid
 * event (and gives its scrubbed envelope), and if not, which dead-letter reason it earns.
 */
final class EnvelopeCheck {

    static final int MAX_EVENT_BYTES = 64 * 1024;

    static final Set<String> EVENT_TYPES =
            Arrays.stream(EventType.values()).map(EventType::wireName).collect(Collectors.toSet());

    private static final EnvelopeParser PARSER =
            new EnvelopeParser(
                    new PersonalDataScrubber("generator-test-secret-0123456789"),
                    MAX_EVENT_BYTES,
                    Duration.ofDays(1));

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

    /** Parses with the job's own parser, as the pipeline will. */
    static Result check(String line) {
        ParseResult result = PARSER.parse(line, "generator-test", System.currentTimeMillis());
        if (!result.isValid()) {
            return new Result(result.deadLetter().reason, null, 0L);
        }
        try {
            return new Result(
                    null, MAPPER.readTree(result.event().payload), result.event().occurredAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the parser's payload is not JSON", e);
        }
    }
}
