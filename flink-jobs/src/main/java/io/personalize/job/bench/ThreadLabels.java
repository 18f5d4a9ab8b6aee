package io.personalize.job.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a thread works for, from its name. Flink names a task's thread {@code "<vertex name>
 * (i/n)#attempt"}, the vertex name being its chain ({@code "A -> (B, C -> D)"}): the subtasks of a
 * task get one label, the chain's head ({@code "A -> ..."}), and {@link #fullNames()} keeps the
 * whole chain. The task's helper threads ({@code "OutputFlusher for <task>"}, its processing-time
 * timer threads) get one label for all tasks, as do checkpointing, Iceberg's commit workers and
 * Flink's own machinery. On Linux the JVM's threads are labelled by their kernel names: garbage
 * collection and JIT compilation.
 */
final class ThreadLabels {
    static final String CHECKPOINTING = "checkpointing";
    static final String ICEBERG = "iceberg workers";
    static final String HELPERS = "output flushers, timer threads";
    static final String RUNTIME = "flink runtime";
    static final String GC = "gc";
    static final String JIT = "jit";
    static final String SAMPLER = "cpu sampler";
    static final String OTHER = "other";

    /** The labels that are not tasks, in the order they are printed. */
    static final List<String> CATEGORIES =
            List.of(CHECKPOINTING, ICEBERG, HELPERS, RUNTIME, GC, JIT, SAMPLER, OTHER);

    private static final Pattern TASK = Pattern.compile("(.+) \\(\\d+/\\d+\\)#\\d+");
    private static final List<String> HELPER_PREFIXES =
            List.of("OutputFlusher for ", "Time Trigger for ", "System Time Trigger for ");
    private static final List<String> CHECKPOINTING_PREFIXES =
            List.of(
                    "AsyncOperations-thread-",
                    "Channel state writer",
                    "channel-state-unspilling-thread-",
                    "Checkpoint Timer",
                    "jobmanager-io-thread-");
    private static final List<String> RUNTIME_PREFIXES =
            List.of(
                    "flink-",
                    "Flink-",
                    "jobmanager",
                    "resourcemanager",
                    "taskmanager",
                    "mini-cluster-",
                    "SourceCoordinator-",
                    "globalEventExecutor-",
                    "BLOB ",
                    "IOManager ",
                    "Hashed wheel timer");
    private static final List<String> GC_PREFIXES =
            List.of("GC Thread#", "G1 ", "ZWorker", "ZDriver", "Shenandoah");
    private static final List<String> JIT_PREFIXES =
            List.of("C1 CompilerThre", "C2 CompilerThre", "Sweeper thread");

    private final Map<String, String> labelsByVertex = new HashMap<>();
    private final Set<String> taskLabels = new HashSet<>();
    private final Map<String, String> fullNames = new HashMap<>();

    /** The label of a Java thread, by its full name. */
    synchronized String ofJava(String threadName) {
        Matcher task = TASK.matcher(threadName);
        if (task.matches()) {
            String vertex = task.group(1);
            if (HELPER_PREFIXES.stream().anyMatch(vertex::startsWith)) {
                return HELPERS;
            }
            return labelsByVertex.computeIfAbsent(vertex, this::newTaskLabel);
        }
        if (threadName.equals(CpuSampler.THREAD_NAME)) {
            return SAMPLER;
        }
        if (startsWithAny(threadName, CHECKPOINTING_PREFIXES)) {
            return CHECKPOINTING;
        }
        if (threadName.startsWith("iceberg-worker-pool-")) {
            return ICEBERG;
        }
        return startsWithAny(threadName, RUNTIME_PREFIXES) ? RUNTIME : OTHER;
    }

    /**
     * The label of a thread the JVM does not list, by its kernel name (15 characters at most); null
     * for the threads this does not count (Java threads, counted by name, and the JVM's others).
     */
    static String ofNative(String comm) {
        if (startsWithAny(comm, GC_PREFIXES)) {
            return GC;
        }
        return startsWithAny(comm, JIT_PREFIXES) ? JIT : null;
    }

    /** The tasks' whole vertex names (their chains) by label, for the labels that shorten them. */
    synchronized Map<String, String> fullNames() {
        return Map.copyOf(fullNames);
    }

    /** The chain's head, without its description in parentheses; unique among the tasks seen. */
    private String newTaskLabel(String vertex) {
        String clean = vertex.replace('"', '\'');
        int chain = clean.indexOf(" -> ");
        String head = chain < 0 ? clean : clean.substring(0, chain);
        int description = head.indexOf(" (");
        if (description > 0 && head.endsWith(")")) {
            head = head.substring(0, description);
        }
        String base = chain < 0 ? head : head + " -> ...";
        String label = base;
        for (int n = 2; !taskLabels.add(label); n++) {
            label = base + " [" + n + "]";
        }
        if (!label.equals(clean)) {
            fullNames.put(label, clean);
        }
        return label;
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
