package io.personalize.core.flows;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as flow files write them: one or more whole number-unit parts ({@code 7d}, {@code 16h},
 * {@code 1d12h}, {@code 90m}, {@code 30s}, {@code 500ms}; units w, d, h, m or min, s, ms), {@code
 * 0}, or ISO-8601 ({@code P7D}, {@code PT16H}); a leading {@code -} makes it negative.
 */
public final class FlowDurations {
    private static final Pattern WHOLE = Pattern.compile("-?(\\d+(w|d|h|min|ms|m|s))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(w|d|h|min|ms|m|s)");

    private FlowDurations() {}

    /** The duration, or empty when the text is not one. */
    public static Optional<Duration> parse(String text) {
        String t = text.strip().replace(" ", "").toLowerCase(Locale.ROOT);
        if (t.equals("0") || t.equals("-0")) {
            return Optional.of(Duration.ZERO);
        }
        if (t.startsWith("p") || t.startsWith("-p")) {
            try {
                return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (!WHOLE.matcher(t).matches()) {
            return Optional.empty();
        }
        boolean negative = t.startsWith("-");
        Matcher part = PART.matcher(negative ? t.substring(1) : t);
        Duration total = Duration.ZERO;
        try {
            while (part.find()) {
                long n = Long.parseLong(part.group(1));
                total =
                        total.plus(
                                switch (part.group(2)) {
                                    case "w" -> Duration.ofDays(Math.multiplyExact(n, 7));
                                    case "d" -> Duration.ofDays(n);
                                    case "h" -> Duration.ofHours(n);
                                    case "m", "min" -> Duration.ofMinutes(n);
                                    case "s" -> Duration.ofSeconds(n);
                                    default -> Duration.ofMillis(n);
                                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(negative ? total.negated() : total);
    }
}
