package io.personalize.core.segments;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads CEL duration and timestamp literals the way CEL does, to epoch milliseconds. */
final class CelLiterals {
    /** A whole CEL duration: signed, one or more number-unit parts. */
    static final Pattern DURATION = Pattern.compile("-?(\\d+(\\.\\d*)?(h|m|s|ms|us|ns))+");

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?)(h|ms|m|s|us|ns)");

    private CelLiterals() {}

    /**
     * Milliseconds of a CEL duration string ({@code '168h'}, {@code '1h30m'}); empty if invalid.
     */
    static OptionalLong durationMillis(String text) {
        if (!DURATION.matcher(text).matches()) {
            return OptionalLong.empty();
        }
        boolean negative = text.startsWith("-");
        Matcher part = PART.matcher(negative ? text.substring(1) : text);
        BigDecimal nanos = BigDecimal.ZERO;
        while (part.find()) {
            BigDecimal unit =
                    switch (part.group(2)) {
                        case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
                        case "m" -> BigDecimal.valueOf(60_000_000_000L);
                        case "s" -> BigDecimal.valueOf(1_000_000_000L);
                        case "ms" -> BigDecimal.valueOf(1_000_000L);
                        case "us" -> BigDecimal.valueOf(1_000L);
                        default -> BigDecimal.ONE;
                    };
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(unit));
        }
        long millis = nanos.movePointLeft(6).longValue();
        return OptionalLong.of(negative ? -millis : millis);
    }

    /** Epoch milliseconds of an RFC 3339 timestamp string; empty if CEL would refuse it. */
    static OptionalLong timestampMillis(String text) {
        try {
            return OptionalLong.of(Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException e) {
            try {
                return OptionalLong.of(
                        java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli());
            } catch (DateTimeParseException again) {
                return OptionalLong.empty();
            }
        }
    }
}
