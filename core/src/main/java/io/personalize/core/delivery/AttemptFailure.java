package io.personalize.core.delivery;

/**
 * How one attempt to deliver a trigger failed: the endpoint answered with a status other than 2xx,
 * or gave no answer (a timeout, a connection error). {@link RetryPolicy#after} decides what
 * follows.
 *
 * @param httpStatus the endpoint's status; null when it gave no answer
 * @param retryAfterMillis the wait the endpoint's {@code Retry-After} asks for, -1 for none (read
 *     only from a status worth retrying)
 * @param error the attempt's error as recorded, e.g. {@code HTTP 503} or {@code timeout after 300
 *     ms}
 */
public record AttemptFailure(Integer httpStatus, long retryAfterMillis, String error) {

    /** An answer with {@code status} (not 2xx) and its {@code Retry-After} header, if any. */
    public static AttemptFailure answered(int status, String retryAfterHeader, long now) {
        long retryAfter =
                RetryPolicy.retryableStatus(status)
                        ? RetryPolicy.retryAfterMillis(retryAfterHeader, now)
                        : -1;
        return new AttemptFailure(status, retryAfter, "HTTP " + status);
    }

    /** No answer: a timeout or a connection error, described by {@code error}. */
    public static AttemptFailure noAnswer(String error) {
        return new AttemptFailure(null, -1, error);
    }

    /** Whether another attempt may get a different answer: always, but for a client error. */
    public boolean retryable() {
        return httpStatus == null || RetryPolicy.retryableStatus(httpStatus);
    }
}
