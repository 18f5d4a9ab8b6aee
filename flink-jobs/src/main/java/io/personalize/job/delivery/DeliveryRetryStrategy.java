package io.personalize.job.delivery;

import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.delivery.RetryPolicy;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.apache.flink.streaming.api.functions.async.AsyncRetryPredicate;
import org.apache.flink.streaming.api.functions.async.AsyncRetryStrategy;

/**
 * Flink's async I/O retries an attempt that came back {@link DeliveryResult#RETRY}, after the
 * {@link RetryPolicy}'s exponential backoff with jitter. {@link DeliveryFunction} itself fails the
 * last allowed attempt, so this bound is only a safety net.
 */
final class DeliveryRetryStrategy implements AsyncRetryStrategy<DeliveryResult> {
    private final RetryPolicy policy;

    DeliveryRetryStrategy(RetryPolicy policy) {
        this.policy = policy;
    }

    @Override
    public boolean canRetry(int currentAttempts) {
        return currentAttempts <= policy.maxAttempts();
    }

    @Override
    public long getBackoffTimeMillis(int currentAttempts) {
        return policy.backoffMillis(currentAttempts, ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public AsyncRetryPredicate<DeliveryResult> getRetryPredicate() {
        return new AsyncRetryPredicate<>() {
            @Override
            public Optional<Predicate<Collection<DeliveryResult>>> resultPredicate() {
                return Optional.of(
                        results ->
                                results.stream()
                                        .anyMatch(r -> DeliveryResult.RETRY.equals(r.status)));
            }

            @Override
            public Optional<Predicate<Throwable>> exceptionPredicate() {
                return Optional.empty();
            }
        };
    }
}
