package io.personalize.core.delivery;

import java.io.Serializable;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a failed trigger is tried again: on 408, 429, 5xx, timeouts and connection errors, after an
 * exponentially growing backoff with jitter (or the endpoint's {@code Retry-After}, when longer),
 * up to {@code maxAttempts} attempts and while the decision is younger than {@code maxAge}. A
 * trigger fails only after its last attempt or at its maximum age: a backoff that would end past
 * the age is cut short to it, and a {@code Retry-After} that points past it fails the trigger at
 * once (the endpoint said it will not take it in time).
 */
public record RetryPolicy(
        int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxAge)
        implements Serializable {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must satisfy 0 <= initial <= max");
        }
    }

    /**
     * The wait before attempt {@code attemptsSoFar + 1}: {@code initial * 2^(attemptsSoFar - 1)},
     * capped at the maximum, of which a random half is dropped ("equal jitter", so that endpoints
     * recovering from an outage do not get every retry at the same instant).
     *
     * @param random01 a uniform draw in [0, 1)
     */
    public long backoffMillis(int attemptsSoFar, double random01) {
        long initial = initialBackoff.toMillis();
        int exponent = Math.max(0, Math.min(attemptsSoFar - 1, 30));
        long ceiling = Math.min(maxBackoff.toMillis(), initial * (1L << exponent));
        if (ceiling < 0) {
            ceiling = maxBackoff.toMillis();
        }
        return ceiling / 2 + (long) (random01 * (ceiling - ceiling / 2));
    }

    /**
     * What follows an attempt that failed in a way worth retrying.
     *
     * @param attemptsSoFar attempts made, the failed one included
     * @param failedAt when the attempt failed (its answer came or the client's timeout passed)
     * @param retryAfterMillis the endpoint's {@code Retry-After} in milliseconds, -1 for none
     * @param decisionProcessedAt when the decision was made: its age counts from here
     * @param random01 a uniform draw in [0, 1) for the backoff's jitter
     */
    public NextAttempt next(
            int attemptsSoFar,
            long failedAt,
            long retryAfterMillis,
            long decisionProcessedAt,
            double random01) {
        if (attemptsSoFar >= maxAttempts) {
            return NextAttempt.giveUp("gave up after " + attemptsSoFar + " attempts");
        }
        long deadline = deadline(decisionProcessedAt);
        if (retryAfterMillis >= 0 && failedAt + retryAfterMillis > deadline) {
            return NextAttempt.giveUp(
                    "Retry-After "
                            + retryAfterMillis / 1000
                            + "s goes past the maximum age "
                            + maxAge
                            + " after "
                            + attemptsSoFar
                            + " attempts");
        }
        long wait = Math.max(backoffMillis(attemptsSoFar, random01), retryAfterMillis);
        return NextAttempt.at(Math.min(failedAt + wait, deadline));
    }

    /**
     * What follows a failed attempt: one not worth retrying (a client error other than 408, 425 and
     * 429) fails the trigger at once; any other is tried again as {@link #next} says, after at
     * least the endpoint's {@code Retry-After}.
     *
     * @param attemptsSoFar attempts made, the failed one included
     * @param failedAt when the attempt failed (its answer came or the client's timeout passed)
     * @param decisionProcessedAt when the decision was made: its age counts from here
     * @param random01 a uniform draw in [0, 1) for the backoff's jitter
     * @return the next attempt, or why the trigger fails: the reason and the attempt's error
     */
    public NextAttempt after(
            AttemptFailure failure,
            int attemptsSoFar,
            long failedAt,
            long decisionProcessedAt,
            double random01) {
        if (!failure.retryable()) {
            return NextAttempt.giveUp(failure.error());
        }
        NextAttempt next =
                next(
                        attemptsSoFar,
                        failedAt,
                        failure.retryAfterMillis(),
                        decisionProcessedAt,
                        random01);
        return next.retries() ? next : NextAttempt.giveUp(next.giveUp() + ": " + failure.error());
    }

    /**
     * Before an attempt: why the trigger fails instead, once the decision reached its maximum age
     * (the last attempt's error first, when there was one); empty while it may still be tried.
     */
    public Optional<String> tooOld(
            int attemptsSoFar, String lastError, long decisionProcessedAt, long now) {
        if (!expired(decisionProcessedAt, now)) {
            return Optional.empty();
        }
        return Optional.of(
                (attemptsSoFar == 0 ? "" : lastError + "; ")
                        + "maximum age "
                        + maxAge
                        + " reached after "
                        + attemptsSoFar
                        + " attempts");
    }

    /** Whether a decision made at {@code decisionProcessedAt} is past its age {@code now}. */
    public boolean expired(long decisionProcessedAt, long now) {
        return now >= deadline(decisionProcessedAt);
    }

    private long deadline(long decisionProcessedAt) {
        long age = maxAge.toMillis();
        return decisionProcessedAt > Long.MAX_VALUE - age
                ? Long.MAX_VALUE
                : decisionProcessedAt + age;
    }

    /**
     * The next attempt of a trigger: at a time (epoch milliseconds), or none, with the reason.
     *
     * @param at when to try again; meaningless when {@code giveUp} is set
     * @param giveUp why there is no next attempt; null when there is one
     */
    public record NextAttempt(long at, String giveUp) {
        static NextAttempt at(long at) {
            return new NextAttempt(at, null);
        }

        static NextAttempt giveUp(String reason) {
            return new NextAttempt(-1, reason);
        }

        public boolean retries() {
            return giveUp == null;
        }
    }

    /** HTTP statuses worth another attempt: the endpoint may answer differently later. */
    public static boolean retryableStatus(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /**
     * The wait a {@code Retry-After} header asks for, in milliseconds (delay-seconds or an
     * HTTP-date), or -1 when absent or unreadable.
     */
    public static long retryAfterMillis(String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String value = header.strip();
        try {
            return Math.max(0, Long.parseLong(value) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                long at =
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant()
                                .toEpochMilli();
                return Math.max(0, at - nowMillis);
            } catch (DateTimeParseException notADate) {
                return -1;
            }
        }
    }
}
