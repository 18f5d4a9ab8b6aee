package io.personalize.job.bench;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Rebases the generated events for a live run: each event's {@code occurred_at} becomes the wall
 * clock at which the source emits it, so event time and watermarks advance as in production. The
 * events keep their order (the source emits them in the generated, time-ordered sequence), so a
 * customer's behaviour keeps its order and its spacing relative to everyone else's: the 150
 * simulated days shrink to the run's length, a session's events come within the same millisecond or
 * so, days between visits become a fraction of a second or seconds.
 *
 * <p>Where the value is found once, ahead of the run; records whose {@code occurred_at} is missing
 * or not a valid time (the generated malformed records) are emitted unchanged.
 */
final class LiveEventTimes {
    private static final String FIELD = "\"occurred_at\":";

    private LiveEventTimes() {}

    /**
     * @return for each line, the start and end (exclusive) of its {@code occurred_at} value, or -1
     *     and -1 when it is left as it is
     */
    static int[] spans(List<String> lines) {
        int[] spans = new int[lines.size() * 2];
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int start = line.indexOf(FIELD);
            int end = start < 0 ? -1 : valueEnd(line, start + FIELD.length());
            boolean valid = end > 0 && isTime(line.substring(start + FIELD.length(), end));
            spans[2 * i] = valid ? start + FIELD.length() : -1;
            spans[2 * i + 1] = valid ? end : -1;
        }
        return spans;
    }

    /** The line with its {@code occurred_at} value in {@code [start, end)} set to {@code now}. */
    static String at(String line, int start, int end, long nowMillis) {
        if (start < 0) {
            return line;
        }
        return line.substring(0, start)
                + '"'
                + Instant.ofEpochMilli(nowMillis)
                + '"'
                + line.substring(end);
    }

    private static int valueEnd(String line, int from) {
        if (from >= line.length()) {
            return -1;
        }
        if (line.charAt(from) == '"') {
            int close = line.indexOf('"', from + 1);
            return close < 0 ? -1 : close + 1;
        }
        int end = from;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        return end > from ? end : -1;
    }

    private static boolean isTime(String value) {
        if (!value.startsWith("\"")) {
            return true; // epoch millis, digits only
        }
        try {
            OffsetDateTime.parse(
                    value.substring(1, value.length() - 1), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
