package io.personalize.job.sinks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Keeps, per key, the latest record of each event-time bucket and sends it on when the bucket
 * closes: when a record of a later bucket arrives for the key, when the watermark passes the
 * bucket's end, or at the end of input. What reaches the table therefore depends only on the input,
 * not on when checkpoints happen: the point-in-time tables ({@code customer_features_history},
 * {@code scores}) hold the last snapshot of every (key, bucket), the same in every run.
 *
 * <p>"Latest" is the highest {@code version} (the event time the snapshot holds for), the later
 * arrival on a tie; a record older than the one held is ignored. A bucket of 1 ms keeps every
 * distinct instant. Records held across a checkpoint are in operator state.
 *
 * <pre>{@code
 * changes.transform("History per hour", type,
 *     new LatestPerBucket<>(f -> f.customerKey, f -> f.asOf, type, Duration.ofHours(1).toMillis()));
 * }</pre>
 */
public class LatestPerBucket<K, T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final KeySelector<T, K> keySelector;
    private final CoalesceLatest.SerializableToLongFunction<T> version;
    private final TypeInformation<T> type;
    private final long bucketMillis;
    private CoalesceLatest.SerializablePredicate<T> erased;

    private transient Map<K, T> held;

    /** Bucket ends of held records, earliest first; entries whose record moved on are stale. */
    private transient PriorityQueue<Closing<K>> closings;

    private transient ListState<T> heldState;

    private record Closing<K>(long end, K key) {}

    public LatestPerBucket(
            KeySelector<T, K> keySelector,
            CoalesceLatest.SerializableToLongFunction<T> version,
            TypeInformation<T> type,
            long bucketMillis) {
        if (bucketMillis < 1) {
            throw new IllegalArgumentException("a bucket must be at least 1 ms");
        }
        this.keySelector = keySelector;
        this.version = version;
        this.type = type;
        this.bucketMillis = bucketMillis;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        held = new HashMap<>();
        closings = new PriorityQueue<>((a, b) -> Long.compare(a.end(), b.end()));
        heldState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("latest-per-bucket", type));
        for (T record : heldState.get()) {
            hold(keySelector.getKey(record), record);
        }
    }

    /**
     * Records that say their key was erased: what is held of the key goes, and the marker is not
     * written.
     */
    public LatestPerBucket<K, T> erasedWhen(CoalesceLatest.SerializablePredicate<T> marker) {
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
        T current = held.get(key);
        if (current == null) {
            hold(key, value);
            return;
        }
        long valueVersion = version.applyAsLong(value);
        long currentVersion = version.applyAsLong(current);
        if (valueVersion < currentVersion) {
            return;
        }
        if (bucketEnd(valueVersion) > bucketEnd(currentVersion)) {
            output.collect(new StreamRecord<>(current));
            hold(key, value);
        } else {
            held.put(key, value);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        closeUpTo(mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        heldState.update(new ArrayList<>(held.values()));
    }

    @Override
    public void endInput() {
        closeUpTo(Long.MAX_VALUE);
    }

    private void hold(K key, T value) {
        held.put(key, value);
        closings.add(new Closing<>(bucketEnd(version.applyAsLong(value)), key));
    }

    /** Sends on every held record whose bucket ended at or before {@code time}. */
    private void closeUpTo(long time) {
        while (!closings.isEmpty() && closings.peek().end() <= time) {
            Closing<K> closing = closings.poll();
            T current = held.get(closing.key());
            if (current != null && bucketEnd(version.applyAsLong(current)) == closing.end()) {
                output.collect(new StreamRecord<>(current));
                held.remove(closing.key());
            }
        }
    }

    private void forget(K key) {
        held.remove(key); // its closing finds nothing held and passes
    }

    /** The last millisecond of the bucket {@code time} falls in. */
    private long bucketEnd(long time) {
        long start = Math.floorDiv(time, bucketMillis) * bucketMillis;
        return start > Long.MAX_VALUE - bucketMillis ? Long.MAX_VALUE : start + bucketMillis - 1;
    }
}
