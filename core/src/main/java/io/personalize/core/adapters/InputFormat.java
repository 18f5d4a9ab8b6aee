package io.personalize.core.adapters;

import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.RecordParser;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The record formats the job reads, by their command-line names. */
public enum InputFormat {
    /** JSON Lines in the event envelope. */
    ENVELOPE,
    /** E-commerce clickstream CSV ({@link ClickstreamCsvParser}). */
    CLICKSTREAM_CSV,
    /** Retail transactions CSV ({@link RetailCsvParser}). */
    RETAIL_CSV;

    /** The name on the command line and in configuration, e.g. {@code retail-csv}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static InputFormat fromCliName(String name) {
        for (InputFormat format : values()) {
            if (format.cliName().equals(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException(
                "unknown input format '"
                        + name
                        + "', expected one of "
                        + Arrays.stream(values())
                                .map(InputFormat::cliName)
                                .collect(Collectors.joining(", ")));
    }

    /** A parser for this format; CSV formats validate through the envelope parser. */
    public RecordParser parser(EnvelopeParser envelope, ZoneId csvZone) {
        return switch (this) {
            case ENVELOPE -> envelope;
            case CLICKSTREAM_CSV -> new ClickstreamCsvParser(envelope);
            case RETAIL_CSV ->
                    new RetailCsvParser(envelope, csvZone, RetailCsvParser.DEFAULT_CURRENCY);
        };
    }
}
