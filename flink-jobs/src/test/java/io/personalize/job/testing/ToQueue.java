package io.personalize.job.testing;

import java.io.Serializable;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that adds every record to a named queue of this JVM, for tests that watch a running job on
 * a MiniCluster (which runs in the test's JVM).
 */
public record ToQueue<T>(String name) implements Sink<T>, Serializable {
    private static final Map<String, Queue<Object>> QUEUES = new ConcurrentHashMap<>();

    /** The queue called {@code name}, emptied. */
    @SuppressWarnings("unchecked")
    public static <T> Queue<T> fresh(String name) {
        Queue<Object> queue = QUEUES.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
        queue.clear();
        return (Queue<T>) queue;
    }

    /** Forgets the queue called {@code name} and what it holds (they live as long as the JVM). */
    public static void drop(String name) {
        QUEUES.remove(name);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Queue<Object> queue = QUEUES.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context context) {
                queue.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
