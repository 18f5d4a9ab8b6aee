package io.personalize.core.adapters;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.InvalidEventException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Splits one CSV line into its columns with commons-csv, refusing rows of the wrong width. */
final class CsvRows {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().get();

    private CsvRows() {}

    /** Strips a byte-order mark and a trailing carriage return (CRLF files). */
    static String clean(String line) {
        String cleaned = line;
        if (!cleaned.isEmpty() && cleaned.charAt(0) == '\uFEFF') {
            cleaned = cleaned.substring(1);
        }
        if (cleaned.endsWith("\r")) {
            cleaned = cleaned.substring(0, cleaned.length() - 1);
        }
        return cleaned;
    }

    /** The columns of a line that must have exactly {@code width} of them. */
    static CSVRecord split(String line, int width) throws InvalidEventException {
        List<CSVRecord> records;
        try (CSVParser parser = CSVParser.parse(new StringReader(line), FORMAT)) {
            records = parser.getRecords();
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new InvalidEventException(
                    DeadLetterReason.MALFORMED_CSV, "unreadable CSV row (bad quoting?)");
        }
        if (records.size() != 1 || records.get(0).size() != width) {
            int found = records.isEmpty() ? 0 : records.get(0).size();
            throw new InvalidEventException(
                    DeadLetterReason.MALFORMED_CSV,
                    "expected " + width + " columns, found " + found + " (truncated line?)");
        }
        return records.get(0);
    }

    /**
     * A missing value: empty, blank or {@code NA} (R's {@code write.csv} writes a missing value as
     * {@code NA}; pandas and Excel leave the field empty).
     */
    static boolean missing(String value) {
        return value == null || value.isBlank() || value.trim().equals("NA");
    }

    /** Puts a trimmed text value unless it is missing. */
    static void putText(ObjectNode node, String field, String value) {
        if (!missing(value)) {
            node.put(field, value.trim());
        }
    }

    /**
     * Puts a number when the text is one, else the text itself so that validation refuses it with
     * {@code wrong_type}; nothing when missing.
     */
    static void putNumber(ObjectNode node, String field, String value) {
        if (missing(value)) {
            return;
        }
        String trimmed = value.trim();
        try {
            if (trimmed.matches("-?\\d+")) {
                node.put(field, Long.parseLong(trimmed));
            } else {
                node.put(field, Double.parseDouble(trimmed));
            }
        } catch (NumberFormatException e) {
            node.put(field, trimmed);
        }
    }
}
