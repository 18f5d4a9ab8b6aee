package io.personalize.job.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Where the CPU of one measured run goes, by thread: the Java threads' CPU time from the JVM (with
 * their full names, so task threads map to their tasks) and, on Linux, the JVM's own threads'
 * (garbage collection, JIT compilation) from {@link NativeThreads}; labelled by {@link
 * ThreadLabels}.
 *
 * <p>Threads come and go with each job, so a daemon thread samples every {@link #INTERVAL_MILLIS}
 * and adds each thread's CPU since its previous sample to its label; a thread first seen after
 * {@link #begin()} started within the run and counts from zero. A thread that ends between two
 * samples loses the CPU it used since the last one (at most one interval: task threads end with
 * their job, just before {@link #finish()}; a job with checkpoints keeps them for its final
 * checkpoint, one without loses its tasks' last interval, and a run shorter than an interval all of
 * it); that CPU shows in "other", which is the process CPU the run measured minus every labelled
 * thread.
 */
final class CpuSampler {
    /** A sample of ~300 threads costs about 0.3-0.8 ms of CPU here: under 1 % of a core. */
    static final long INTERVAL_MILLIS = 100;

    private static final int LIST_EVERY = 10;
    static final String THREAD_NAME = "bench-cpu-sampler";

    private final com.sun.management.ThreadMXBean jvm =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final NativeThreads natives = new NativeThreads();
    private final ThreadLabels labels = new ThreadLabels();
    private final Map<Long, Tracked> javaThreads = new HashMap<>();
    private final Set<Integer> nativeSeen = new HashSet<>();
    private final Map<Integer, Tracked> nativeThreads = new HashMap<>();
    private final Map<String, Long> totals = new HashMap<>();
    private long samples;
    private Thread sampling;
    private volatile boolean running;

    /** Takes every thread's CPU so far as its baseline and starts sampling; at a run's start. */
    synchronized void begin() {
        sample(false);
        running = true;
        sampling = new Thread(this::loop, THREAD_NAME);
        sampling.setDaemon(true);
        sampling.start();
    }

    /**
     * Stops sampling and takes a last sample; at a run's end.
     *
     * @return CPU nanoseconds by label since {@link #begin()}; empty when it was never called
     */
    CpuBreakdown finish() throws InterruptedException {
        Thread thread;
        synchronized (this) {
            if (!running) {
                return CpuBreakdown.NONE;
            }
            running = false;
            thread = sampling;
        }
        thread.interrupt();
        thread.join();
        synchronized (this) {
            samples = 0; // lists the threads again: one that started since counts
            sample(true);
            nativeThreads.values().forEach(tracked -> tracked.clock.close());
            return new CpuBreakdown(Map.copyOf(totals), labels.fullNames());
        }
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (running) {
                    sample(true);
                }
            }
        }
    }

    private void sample(boolean counting) {
        long[] ids = jvm.getAllThreadIds();
        long[] cpu = jvm.getThreadCpuTime(ids);
        Set<Long> alive = new HashSet<>();
        for (int i = 0; i < ids.length; i++) {
            Tracked thread = javaThreads.get(ids[i]);
            if (thread == null && cpu[i] >= 0) {
                ThreadInfo info = jvm.getThreadInfo(ids[i]);
                if (info != null) {
                    thread = new Tracked(labels.ofJava(info.getThreadName()), null);
                    javaThreads.put(ids[i], thread);
                }
            }
            if (thread != null && cpu[i] >= 0) {
                alive.add(ids[i]);
                count(counting, thread, cpu[i]);
            }
        }
        javaThreads.keySet().retainAll(alive);
        sampleNatives(counting);
    }

    /**
     * GC and JIT threads, which the JVM does not list; the rest are Java threads or "other". The
     * thread list is read at the start and every {@link #LIST_EVERY} samples (the JVM adds GC and
     * compiler threads as load grows), each tracked thread's CPU at every sample.
     */
    private void sampleNatives(boolean counting) {
        if (samples++ % LIST_EVERY == 0) {
            for (int tid : natives.ids()) {
                String name = nativeSeen.add(tid) ? natives.name(tid) : null;
                String label = name == null ? null : ThreadLabels.ofNative(name);
                NativeThreads.CpuClock clock = label == null ? null : natives.clock(tid);
                if (clock != null) {
                    nativeThreads.put(tid, new Tracked(label, clock));
                }
            }
        }
        for (Iterator<Tracked> it = nativeThreads.values().iterator(); it.hasNext(); ) {
            Tracked thread = it.next();
            long cpu = thread.clock.nanos();
            if (cpu < 0) {
                thread.clock.close();
                it.remove();
            } else {
                count(counting, thread, cpu);
            }
        }
    }

    /** Adds the thread's CPU since its last sample (all of it when new) to its label. */
    private void count(boolean counting, Tracked thread, long cpuNanos) {
        if (counting && cpuNanos > thread.last) {
            totals.merge(thread.label, cpuNanos - thread.last, Long::sum);
        }
        thread.last = cpuNanos;
    }

    /** One thread: its label, its CPU at the last sample and, for a native one, its clock. */
    private static final class Tracked {
        final String label;
        final NativeThreads.CpuClock clock;
        long last;

        Tracked(String label, NativeThreads.CpuClock clock) {
            this.label = label;
            this.clock = clock;
        }
    }
}
