package io.personalize.core.events;

import java.io.Serializable;
import java.time.Instant;

/**
 * What a valid event's numbers may be: amounts (prices, order totals, a line's price times
 * quantity) finite, non-negative and at most {@code maxAmount}; event times within {@code
 * [earliest, latest)}. Keeping every amount bounded keeps every sum the features make of them
 * (revenue windows, lifetime revenue) finite.
 *
 * @param maxAmount the largest price or total, in the event's currency
 * @param earliestMillis the earliest accepted event time, epoch millis
 * @param latestMillis the first event time no longer accepted, epoch millis
 */
public record EventLimits(double maxAmount, long earliestMillis, long latestMillis)
        implements Serializable {

    /** The largest bound an amount may be given: sums of 10^15 stay exact and finite. */
    public static final double LARGEST_MAX_AMOUNT = 1e15;

    /** One billion per price or total; 1970-01-01 to 2200-01-01. */
    public static final EventLimits DEFAULTS =
            new EventLimits(
                    1e9,
                    Instant.parse("1970-01-01T00:00:00Z").toEpochMilli(),
                    Instant.parse("2200-01-01T00:00:00Z").toEpochMilli());

    public EventLimits {
        if (!(maxAmount > 0) || maxAmount > LARGEST_MAX_AMOUNT) {
            throw new IllegalArgumentException(
                    "the largest amount must be > 0 and at most 1e15, was " + maxAmount);
        }
        if (earliestMillis >= latestMillis) {
            throw new IllegalArgumentException(
                    "the earliest event time must lie before the latest");
        }
    }
}
