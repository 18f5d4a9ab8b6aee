package io.personalize.job;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through slowly and throws exactly once, on the first record after a checkpoint has
 * completed and at least {@code minRecords} records went through: a failure part-way, with some
 * output already committed.
 */
final class FailOnceAfterCheckpoint implements MapFunction<String, String>, CheckpointListener {
    private static final long serialVersionUID = 1L;

    /** Static: the MiniCluster runs in this JVM, and the flag must survive the restart. */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    static final AtomicLong CHECKPOINTS_BEFORE_FAILURE = new AtomicLong();

    private final long minRecords;
    private final long sleepEveryRecords;
    private long seen;
    private volatile boolean checkpointCompleted;

    FailOnceAfterCheckpoint(long minRecords, long sleepEveryRecords) {
        this.minRecords = minRecords;
        this.sleepEveryRecords = sleepEveryRecords;
    }

    @Override
    public String map(String value) throws Exception {
        seen++;
        if (seen % sleepEveryRecords == 0) {
            Thread.sleep(1);
        }
        if (checkpointCompleted && seen >= minRecords && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + seen + " records");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (!FAILED.get()) {
            CHECKPOINTS_BEFORE_FAILURE.incrementAndGet();
        }
        checkpointCompleted = true;
    }
}
