package io.personalize.job.sinks;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Keeps only the latest record per key and sends them on just before a checkpoint barrier (when
 * {@code minInterval} has passed since the last flush) and at the end of input: table writes are
 * coalesced to at most one row per key per interval, always the latest, while everything upstream
 * still sees every change. Records held back across a checkpoint are in operator state.
 *
 * <p>"Latest" is the highest {@code version} (e.g. the event time a snapshot holds for), the later
 * arrival on a tie: batch mode sorts this operator's input by key and record timestamp, and records
 * emitted by one timer share its timestamp, so arrival order alone is not enough there.
 */
public class CoalesceLatest<K, T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final KeySelector<T, K> keySelector;
    private final ToLongFunction<T> version;
    private final TypeInformation<T> type;
    private final long minIntervalMillis;
    private SerializablePredicate<T> erased;

    private transient Map<K, T> pending;
    private transient ListState<T> pendingState;
    private transient long lastFlush;

    public CoalesceLatest(
            KeySelector<T, K> keySelector,
            SerializableToLongFunction<T> version,
            TypeInformation<T> type,
            long minIntervalMillis) {
        this.keySelector = keySelector;
        this.version = version;
        this.type = type;
        this.minIntervalMillis = minIntervalMillis;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pending = new LinkedHashMap<>();
        pendingState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("coalesce-pending", type));
        for (T record : pendingState.get()) {
            pending.put(keySelector.getKey(record), record);
        }
    }

    /**
     * Records that say their key was erased: what is held of the key goes, and the marker is not
     * written.
     */
    public CoalesceLatest<K, T> erasedWhen(SerializablePredicate<T> marker) {
        this.erased = marker;
        return this;
    }

    @Override
    public void processElement(StreamRecord<T> record) throws Exception {
        T value = record.getValue();
        K key = keySelector.getKey(value);
        if (erased != null && erased.test(value)) {
            forget(key);
            return;
        }
        T held = pending.get(key);
        if (held == null || version.applyAsLong(value) >= version.applyAsLong(held)) {
            pending.remove(key); // re-insert: flush order follows the latest change
            pending.put(key, value);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (now - lastFlush >= minIntervalMillis) {
            flush();
            lastFlush = now;
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pendingState.update(new java.util.ArrayList<>(pending.values()));
    }

    @Override
    public void endInput() {
        flush();
    }

    private void flush() {
        for (T value : pending.values()) {
            output.collect(new StreamRecord<>(value));
        }
        pending.clear();
    }

    private void forget(K key) {
        pending.remove(key);
    }

    /** A serializable test of a record. */
    public interface SerializablePredicate<T>
            extends java.util.function.Predicate<T>, Serializable {}

    /** A serializable version extractor. */
    public interface SerializableToLongFunction<T> extends ToLongFunction<T>, Serializable {}
}
