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
 *
 * <p>The conventions of real exports are read as they come: a header with its names quoted (R's
 * {@code write.csv}, pandas with {@code QUOTE_ALL}, Excel) or in another case is still the header,
 * quoted fields are unquoted, a byte-order mark and a CRLF line end are dropped, {@code NA} or an
 * empty field is a missing value ({@link CsvRows#missing}), and an empty line (the trailing one
 * many tools write) is skipped, not a dead letter.
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
        if (line.isBlank() || isHeader(line)) {
            return ParseResult.skipped();
        }
        try {
            return envelope.parseTree(toEnvelope(line), raw, source, ingestedAt);
        } catch (InvalidEventException e) {
            return ParseResult.invalid(
                    DeadLetters.of(
                            e.reason(), e.getMessage(), source, raw, mask(line), ingestedAt));
        }
    }

    @Override
    public String mask(String text) {
        return envelope.mask(text);
    }

    /** The header as written, or with its names quoted, spaced or in another case. */
    private boolean isHeader(String line) {
        if (line.equals(header)) {
            return true;
        }
        // cheap test first: a header line is as long as the header plus its quotes and spaces
        if (line.length() < header.length() || line.length() > 2 * header.length()) {
            return false;
        }
        StringBuilder unquoted = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '"' && c != ' ') {
                unquoted.append(c);
            }
        }
        return unquoted.toString().equalsIgnoreCase(header);
    }
}
