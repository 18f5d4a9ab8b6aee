package io.personalize.core.adapters;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.InvalidEventException;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RecordParser;

/**
 * A CSV format read one row at a time: the header is skipped, a row becomes an envelope that goes
 * through the same validation as JSON input, and a row that cannot become one is a dead letter.
 */
abstract class CsvRecordParser implements RecordParser {
    private static final long serialVersionUID = 1L;

    private final EnvelopeParser envelope;
    private final String header;

    CsvRecordParser(EnvelopeParser envelope, String header) {
        this.envelope = envelope;
        this.header = header;
    }

    /** The envelope for one row (without its line end), or why there is none. */
    abstract ObjectNode toEnvelope(String line) throws InvalidEventException;

    @Override
    public final ParseResult parse(String raw, String source, long ingestedAt) {
        String line = raw == null ? "" : CsvRows.clean(raw);
        if (line.equals(header)) {
            return ParseResult.skipped();
        }
        if (line.isBlank()) {
            return envelope.parse(line, source, ingestedAt);
        }
        try {
            return envelope.parseTree(toEnvelope(line), raw, source, ingestedAt);
        } catch (InvalidEventException e) {
            return ParseResult.invalid(
                    DeadLetters.of(e.reason(), e.getMessage(), source, raw, line, ingestedAt));
        }
    }
}
