package io.personalize.core.decisions;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * The send policy of {@link DecisionEngine}: frequency caps over rolling windows, quiet hours in
 * the customer's time zone, the longest a decision may be deferred, and how long decided triggers
 * are remembered.
 *
 * @param caps at most {@code count} sends in any window of {@code window}; all must allow a send
 * @param quietStart start of the quiet period, local time of the customer (inclusive)
 * @param quietEnd end of the quiet period (exclusive); before {@code quietStart} when the period
 *     wraps midnight; equal to {@code quietStart} for no quiet hours
 * @param defaultZone the zone of customers whose time zone is unknown or not a valid IANA id
 * @param maxDelay a decision is never sent later than this after its trigger: a deferral beyond it
 *     expires
 * @param idempotencyHorizon how long a decided trigger is remembered; a trigger older than this (by
 *     event time) is ignored, so it can never be decided twice
 * @param liveHorizon a new trigger whose event time is older than this before the wall clock is
 *     history being replayed (a new deployment reading its past): recorded as {@code replayed},
 *     never sent; {@code null}: every trigger is live
 */
public record PolicySettings(
        List<Cap> caps,
        LocalTime quietStart,
        LocalTime quietEnd,
        ZoneId defaultZone,
        Duration maxDelay,
        Duration idempotencyHorizon,
        Duration liveHorizon)
        implements Serializable {

    /** 1 per 16 h and 3 per 7 days; quiet 21:00-08:00; UTC; 48 h; 30 days. */
    public static final PolicySettings DEFAULTS =
            new PolicySettings(
                    List.of(new Cap(1, Duration.ofHours(16)), new Cap(3, Duration.ofDays(7))),
                    LocalTime.of(21, 0),
                    LocalTime.of(8, 0),
                    ZoneId.of("UTC"),
                    Duration.ofHours(48),
                    Duration.ofDays(30),
                    null);

    public PolicySettings {
        caps = List.copyOf(caps);
        Objects.requireNonNull(quietStart, "quietStart");
        Objects.requireNonNull(quietEnd, "quietEnd");
        Objects.requireNonNull(defaultZone, "defaultZone");
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative: " + maxDelay);
        }
        if (idempotencyHorizon.compareTo(maxDelay) < 0) {
            throw new IllegalArgumentException(
                    "idempotencyHorizon ("
                            + idempotencyHorizon
                            + ") must be at least maxDelay ("
                            + maxDelay
                            + ")");
        }
        if (liveHorizon != null && liveHorizon.isNegative()) {
            throw new IllegalArgumentException("liveHorizon must not be negative: " + liveHorizon);
        }
    }

    /** Every trigger live (no live horizon). */
    public PolicySettings(
            List<Cap> caps,
            LocalTime quietStart,
            LocalTime quietEnd,
            ZoneId defaultZone,
            Duration maxDelay,
            Duration idempotencyHorizon) {
        this(caps, quietStart, quietEnd, defaultZone, maxDelay, idempotencyHorizon, null);
    }

    public PolicySettings withCaps(List<Cap> newCaps) {
        return new PolicySettings(
                newCaps,
                quietStart,
                quietEnd,
                defaultZone,
                maxDelay,
                idempotencyHorizon,
                liveHorizon);
    }

    public PolicySettings withQuietHours(LocalTime start, LocalTime end) {
        return new PolicySettings(
                caps, start, end, defaultZone, maxDelay, idempotencyHorizon, liveHorizon);
    }

    /** Without quiet hours. */
    public PolicySettings withoutQuietHours() {
        return withQuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
    }

    public PolicySettings withDefaultZone(ZoneId zone) {
        return new PolicySettings(
                caps, quietStart, quietEnd, zone, maxDelay, idempotencyHorizon, liveHorizon);
    }

    public PolicySettings withMaxDelay(Duration delay) {
        return new PolicySettings(
                caps, quietStart, quietEnd, defaultZone, delay, idempotencyHorizon, liveHorizon);
    }

    public PolicySettings withIdempotencyHorizon(Duration horizon) {
        return new PolicySettings(
                caps, quietStart, quietEnd, defaultZone, maxDelay, horizon, liveHorizon);
    }

    /**
     * With a live horizon: new triggers older than {@code horizon} before the wall clock are {@code
     * replayed}; {@code null} for none.
     */
    public PolicySettings withLiveHorizon(Duration horizon) {
        return new PolicySettings(
                caps, quietStart, quietEnd, defaultZone, maxDelay, idempotencyHorizon, horizon);
    }

    public boolean hasQuietHours() {
        return !quietStart.equals(quietEnd);
    }

    /** The longest cap window (zero without caps): sends older than this no longer count. */
    public Duration longestCapWindow() {
        Duration longest = Duration.ZERO; // asked at every decision: no stream
        for (Cap cap : caps) {
            if (cap.window().compareTo(longest) > 0) {
                longest = cap.window();
            }
        }
        return longest;
    }

    /** At most {@code count} sends to a customer in any rolling window of {@code window}. */
    public record Cap(int count, Duration window) implements Serializable {
        public Cap {
            if (count < 1) {
                throw new IllegalArgumentException("a cap allows at least 1 send: " + count);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a cap's window must be positive: " + window);
            }
        }

        /** E.g. {@code 1 per 16h}. */
        public String label() {
            return count + " per " + Reasons.duration(window);
        }
    }
}
