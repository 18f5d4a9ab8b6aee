package io.personalize.job.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through slowly and throws exactly once, on the first record after a checkpoint has
 * completed and at least {@code minRecords} records went through: a failure part-way, with some
 * output already committed. Each test names its own injector; give the map {@code .returns(type)}.
 */
public final class FailOnceAfterCheckpoint<T> implements MapFunction<T, T>, CheckpointListener {
    private static final long serialVersionUID = 1L;

    /** Static: the MiniCluster runs in this JVM, and the flags must survive the restart. */
    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();

    private static final Map<String, AtomicLong> CHECKPOINTS_BEFORE_FAILURE =
            new ConcurrentHashMap<>();

    private final String name;
    private final long minRecords;
    private final long sleepEveryRecords;
    private long seen;
    private volatile boolean checkpointCompleted;

    public FailOnceAfterCheckpoint(String name, long minRecords, long sleepEveryRecords) {
        this.name = name;
        this.minRecords = minRecords;
        this.sleepEveryRecords = sleepEveryRecords;
        FAILED.put(name, new AtomicBoolean());
        CHECKPOINTS_BEFORE_FAILURE.put(name, new AtomicLong());
    }

    /** Whether the injector of that name has thrown. */
    public static boolean failed(String name) {
        return FAILED.get(name).get();
    }

    /** Checkpoints completed before the injected failure. */
    public static long checkpointsBeforeFailure(String name) {
        return CHECKPOINTS_BEFORE_FAILURE.get(name).get();
    }

    @Override
    public T map(T value) throws Exception {
        seen++;
        if (seen % sleepEveryRecords == 0) {
            Thread.sleep(1);
        }
        if (checkpointCompleted
                && seen >= minRecords
                && FAILED.get(name).compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + seen + " records");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (!FAILED.get(name).get()) {
            CHECKPOINTS_BEFORE_FAILURE.get(name).incrementAndGet();
        }
        checkpointCompleted = true;
    }
}
