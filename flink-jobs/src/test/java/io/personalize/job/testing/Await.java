package io.personalize.job.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a running job (on a MiniCluster) to show an outcome, polling every 100 ms. */
public final class Await {
    private Await() {}

    /**
     * @throws AssertionError with {@code seen} when {@code condition} does not hold in time
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> seen)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; " + seen.get());
            }
            Thread.sleep(100);
        }
    }
}
