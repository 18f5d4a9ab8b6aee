package io.personalize.job.delivery;

/**
 * Spaces the requests of one subtask to one endpoint evenly: each request reserves the next free
 * slot and is sent when it comes (the caller schedules it; nothing blocks).
 */
final class EndpointRateLimiter {
    private final long intervalNanos;
    private long nextFreeNanos;

    /**
     * @param ratePerSecond requests per second for this subtask; 0 or less: no limit
     */
    EndpointRateLimiter(double ratePerSecond) {
        this.intervalNanos = ratePerSecond <= 0 ? 0 : (long) (1_000_000_000L / ratePerSecond);
    }

    /** Milliseconds to wait before sending, the slot being taken. */
    synchronized long reserveDelayMillis(long nowNanos) {
        if (intervalNanos == 0) {
            return 0;
        }
        long slot = Math.max(nowNanos, nextFreeNanos);
        nextFreeNanos = slot + intervalNanos;
        return (slot - nowNanos) / 1_000_000L;
    }
}
