package io.personalize.core.events;

import java.io.Serializable;

/**
 * The first step for every raw record: refuses it cheaply on its raw form (size on the bytes,
 * encoding) before any parsing or masking, then hands its text to the format's {@link
 * RecordParser}, and gives a dead letter the id of the record's position in its input.
 *
 * <pre>{@code
 * RecordIntake intake = new RecordIntake(parser, 64 * 1024);
 * ParseResult result = intake.parse(RawRecord.fromBytes(bytes, 0, n, 64 * 1024, "f@0"), "f", now);
 * }</pre>
 */
public final class RecordIntake implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RecordParser parser;
    private final long maxBytes;

    public RecordIntake(RecordParser parser, long maxBytes) {
        this.parser = parser;
        this.maxBytes = maxBytes;
    }

    /** Never throws on data (the parser's own contract). */
    public ParseResult parse(RawRecord record, String source, long ingestedAt) {
        ParseResult result = refuseRaw(record, source, ingestedAt);
        if (result == null) {
            result = parser.parse(record.text, source, ingestedAt);
        }
        return withPositionalId(result, record, source);
    }

    private ParseResult refuseRaw(RawRecord record, String source, long ingestedAt) {
        if (record.truncated || record.sizeBytes > maxBytes) {
            String sha256 = record.sha256 != null ? record.sha256 : Utf8.sha256Hex(record.text);
            return ParseResult.invalid(
                    DeadLetters.tooLarge(
                            source,
                            record.text,
                            record.sizeBytes,
                            sha256,
                            maxBytes,
                            ingestedAt,
                            parser::mask));
        }
        if (record.malformedEncoding) {
            return ParseResult.invalid(
                    DeadLetters.malformedEncoding(
                            source, record.text, record.sizeBytes, ingestedAt, parser::mask));
        }
        return null;
    }

    /** Masks text that is stored as it is, with the parser's personal-data policy. */
    public String mask(String text) {
        return parser.mask(text);
    }

    /**
     * Replaces the content-derived dead-letter id by one derived from the record's position, when
     * the input gives positions.
     */
    static ParseResult withPositionalId(ParseResult result, RawRecord record, String source) {
        return withPositionalId(result, record.position, source);
    }

    /** As {@link #withPositionalId(ParseResult, RawRecord, String)}, for any caller. */
    public static ParseResult withPositionalId(ParseResult result, String position, String source) {
        if (result.isInvalid() && position != null) {
            result.deadLetter().deadLetterId = DeadLetters.positionalId(source, position);
        }
        return result;
    }
}
