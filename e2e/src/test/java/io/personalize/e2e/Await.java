package io.personalize.e2e;

import java.time.Duration;

/** Waits for a condition, polling, instead of sleeping a fixed time. */
final class Await {
    /** A condition that may throw (an {@link AssertionError} ends the wait at once). */
    interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {}

    static void until(String what, Duration timeout, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
    }
}
