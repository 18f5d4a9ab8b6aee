package io.personalize.job.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.flink.core.execution.JobClient;

/** Waits for a running job (on a MiniCluster) to show an outcome, polling every 100 ms. */
public final class Await {
    private Await() {}

    /**
     * @throws AssertionError with {@code seen} when {@code condition} does not hold in time
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> seen)
            throws InterruptedException {
        until(null, timeout, condition, seen);
    }

    /**
     * As {@link #until(Duration, BooleanSupplier, Supplier)}, failing at once with the job's own
     * failure when the job stops before the condition holds (a test with no restarts would
     * otherwise wait out its timeout and say only what it did not see).
     */
    public static void until(
            JobClient job, Duration timeout, BooleanSupplier condition, Supplier<String> seen)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (job != null) {
                failIfStopped(job, seen);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out; "
                                + seen.get()
                                + (job == null ? "" : "; job status " + status(job)));
            }
            Thread.sleep(100);
        }
    }

    private static void failIfStopped(JobClient job, Supplier<String> seen) {
        String status = status(job);
        if (status.equals("FAILED") || status.equals("CANCELED") || status.equals("FINISHED")) {
            Throwable cause;
            try {
                job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
                cause = null;
            } catch (Exception e) {
                cause = e;
            }
            throw new AssertionError(
                    "the job stopped (" + status + ") before; " + seen.get(), cause);
        }
    }

    private static String status(JobClient job) {
        try {
            return job.getJobStatus().get(10, TimeUnit.SECONDS).name();
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }
}
