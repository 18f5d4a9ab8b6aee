package io.personalize.core.events;

import java.util.Locale;

/** Why a record was refused; the codes are stable (docs/event-envelope.md lists them). */
public enum DeadLetterReason {
    EMPTY,
    /**
     * Larger than the size limit, measured on the raw bytes before anything else: the payload is
     * the record's first 4 KB (masked), the message its size and SHA-256.
     */
    TOO_LARGE,
    /** Not valid UTF-8 (a file line or a Kafka message); nothing is replaced or guessed. */
    MALFORMED_ENCODING,
    MALFORMED_JSON,
    MALFORMED_CSV,
    MISSING_FIELD,
    WRONG_TYPE,
    UNKNOWN_EVENT_TYPE,
    BAD_TIMESTAMP,
    MISSING_IDENTITY,
    INVALID_PRICE,
    INVALID_QUANTITY,
    /**
     * A {@code customer_id} or {@code anonymous_id} that looks like an e-mail address or a phone
     * number, unless {@code personalize.privacy.personal-ids} is {@code hash}: then it is hashed
     * into the id instead.
     */
    PERSONAL_IDENTIFIER,
    /** Older than the retention horizon behind event time: it can no longer change features. */
    TOO_OLD,
    /** The parser itself failed on the record: a bug to report, the record is kept. */
    PARSER_ERROR,
    /**
     * A segment definitions update that does not compile or does not raise the version (stage
     * {@code segments}); the serving version stays.
     */
    INVALID_SEGMENT_RULES,
    /**
     * A model registry update, model or card that does not load or fails its card's checks (stage
     * {@code scoring}); the serving version of that model stays.
     */
    INVALID_MODEL,
    /**
     * A flow definitions update that does not compile, cannot be read or does not raise the version
     * (stage {@code decisions}); the serving version stays.
     */
    INVALID_FLOWS,
    /**
     * A suppression list update with a line that is neither an address nor a hash, or a file that
     * cannot be read (stage {@code suppression}); the previous list keeps serving. The message
     * names the lines, never their content.
     */
    INVALID_SUPPRESSION_LIST,
    /**
     * A declared-features update that does not compile (every problem with its position), cannot be
     * read, does not raise the version, or removes or retypes a feature a serving segment, flow or
     * model card reads (stage {@code features}); the serving declared features stay.
     */
    INVALID_DECLARED_FEATURES,
    /**
     * A trigger its endpoint did not accept (stage {@code delivery}): a 4xx other than 408/429, the
     * last allowed attempt failing, past the maximum age, or an unknown endpoint. The message has
     * the last error; the decision id is the event id.
     */
    DELIVERY_FAILED;

    /** The code stored in the dead-letter table and used as a metric label. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
