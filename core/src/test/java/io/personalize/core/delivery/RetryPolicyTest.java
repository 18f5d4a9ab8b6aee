package io.personalize.core.delivery;

import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final RetryPolicy POLICY =
            new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1));

    @Test
    void backoffDoublesWithJitterWithinHalfAndFullAndIsCapped() {
        assertThat(POLICY.backoffMillis(1, 0.0)).isEqualTo(500);
        assertThat(POLICY.backoffMillis(1, 0.999)).isBetween(500L, 1000L);
        assertThat(POLICY.backoffMillis(2, 0.0)).isEqualTo(1000);
        assertThat(POLICY.backoffMillis(3, 0.999)).isBetween(2000L, 4000L);
        assertThat(POLICY.backoffMillis(10, 0.0)).isEqualTo(15_000);
        assertThat(POLICY.backoffMillis(40, 0.999)).isBetween(15_000L, 30_000L);
    }

    @Test
    void retriesTimeoutsThrottlingAndServerErrorsOnly() {
        assertThat(RetryPolicy.retryableStatus(429)).isTrue();
        assertThat(RetryPolicy.retryableStatus(408)).isTrue();
        assertThat(RetryPolicy.retryableStatus(500)).isTrue();
        assertThat(RetryPolicy.retryableStatus(503)).isTrue();
        assertThat(RetryPolicy.retryableStatus(400)).isFalse();
        assertThat(RetryPolicy.retryableStatus(401)).isFalse();
        assertThat(RetryPolicy.retryableStatus(404)).isFalse();
    }

    @Test
    void readsRetryAfterInSecondsOrAsAnHttpDate() {
        long now = Instant.parse("2026-11-28T10:00:00Z").toEpochMilli();
        assertThat(RetryPolicy.retryAfterMillis("7", now)).isEqualTo(7000);
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        Instant.parse("2026-11-28T10:00:30Z").atZone(ZoneOffset.UTC));
        assertThat(RetryPolicy.retryAfterMillis(date, now)).isEqualTo(30_000);
        assertThat(RetryPolicy.retryAfterMillis(null, now)).isEqualTo(-1);
        assertThat(RetryPolicy.retryAfterMillis("soon", now)).isEqualTo(-1);
    }

    private static final long MADE = 1_780_000_000_000L;

    @Test
    void retriesAfterTheBackoffOrALongerRetryAfter() {
        long failedAt = MADE + 60_000;
        assertThat(POLICY.next(1, failedAt, -1, MADE, 0.0).at()).isEqualTo(failedAt + 500);
        assertThat(POLICY.next(3, failedAt, -1, MADE, 0.0).at()).isEqualTo(failedAt + 2_000);
        assertThat(POLICY.next(1, failedAt, 7_000, MADE, 0.0).at()).isEqualTo(failedAt + 7_000);
        assertThat(POLICY.next(3, failedAt, 100, MADE, 0.0).at()).isEqualTo(failedAt + 2_000);
        assertThat(POLICY.next(5, failedAt, -1, MADE, 0.0).retries()).isTrue();
    }

    @Test
    void givesUpAfterTheLastAttemptOnly() {
        RetryPolicy.NextAttempt next = POLICY.next(6, MADE + 1_000, -1, MADE, 0.5);
        assertThat(next.retries()).isFalse();
        assertThat(next.giveUp()).isEqualTo("gave up after 6 attempts");
    }

    @Test
    void aBackoffEndingPastTheMaximumAgeIsCutShortToIt() {
        long failedAt = MADE + HOUR - 200;
        RetryPolicy.NextAttempt next = POLICY.next(3, failedAt, -1, MADE, 0.0);
        assertThat(next.retries()).isTrue();
        assertThat(next.at()).isEqualTo(MADE + HOUR);
        assertThat(POLICY.expired(MADE, next.at())).isTrue();
        assertThat(POLICY.expired(MADE, next.at() - 1)).isFalse();
    }

    @Test
    void aRetryAfterPastTheMaximumAgeFailsAtOnce() {
        long failedAt = MADE + HOUR - 5_000;
        RetryPolicy.NextAttempt next = POLICY.next(2, failedAt, 6_000, MADE, 0.0);
        assertThat(next.retries()).isFalse();
        assertThat(next.giveUp()).startsWith("Retry-After 6s goes past the maximum age");
        assertThat(POLICY.next(2, failedAt, 5_000, MADE, 0.0).at()).isEqualTo(MADE + HOUR);
    }

    @Test
    void a503IsRetriedAfterTheBackoffAndA400IsNot() {
        long failedAt = MADE + 60_000;

        RetryPolicy.NextAttempt unavailable =
                POLICY.after(AttemptFailure.answered(503, null, failedAt), 1, failedAt, MADE, 0.0);
        RetryPolicy.NextAttempt badRequest =
                POLICY.after(AttemptFailure.answered(400, "7", failedAt), 1, failedAt, MADE, 0.0);

        assertThat(unavailable.retries()).isTrue();
        assertThat(unavailable.at()).isEqualTo(failedAt + 500);
        assertThat(badRequest.retries()).isFalse();
        assertThat(badRequest.giveUp()).isEqualTo("HTTP 400");
    }

    @Test
    void aThrottledAttemptWaitsForTheRetryAfterOfItsAnswer() {
        long failedAt = MADE + 60_000;
        AttemptFailure throttled = AttemptFailure.answered(429, "7", failedAt);

        assertThat(throttled.retryAfterMillis()).isEqualTo(7_000);
        assertThat(POLICY.after(throttled, 1, failedAt, MADE, 0.0).at())
                .isEqualTo(failedAt + 7_000);
    }

    @Test
    void anAttemptWithoutAnswerIsRetriedAndFailsAfterTheLastAttemptWithItsError() {
        long failedAt = MADE + 60_000;
        AttemptFailure timeout = AttemptFailure.noAnswer("timeout after 300 ms");

        assertThat(POLICY.after(timeout, 5, failedAt, MADE, 0.0).retries()).isTrue();
        assertThat(POLICY.after(timeout, 6, failedAt, MADE, 0.0).giveUp())
                .isEqualTo("gave up after 6 attempts: timeout after 300 ms");
    }

    @Test
    void givesUpBeforeAnAttemptOnceTheMaximumAgeIsReachedNamingTheLastError() {
        assertThat(POLICY.tooOld(2, "HTTP 503", MADE, MADE + HOUR - 1)).isEmpty();
        assertThat(POLICY.tooOld(2, "HTTP 503", MADE, MADE + HOUR))
                .contains("HTTP 503; maximum age PT1H reached after 2 attempts");
        assertThat(POLICY.tooOld(0, null, MADE, MADE + HOUR))
                .contains("maximum age PT1H reached after 0 attempts");
    }
}
