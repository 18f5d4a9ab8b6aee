package io.personalize.job.bench;

import java.lang.management.ManagementFactory;

/**
 * Wall and process CPU time of one measured run, from the first record the source serves to the end
 * of the job: MiniCluster start-up and job submission stay out. Static because the MiniCluster runs
 * in the bench's JVM. The first record also starts the run's {@link CpuSampler}.
 */
final class RunClock {
    private static volatile long startNanos;
    private static volatile long startCpuNanos;
    private static volatile CpuSampler sampler;

    private RunClock() {}

    /** Before a run; {@code cpu} starts sampling threads at its first record. */
    static void reset(CpuSampler cpu) {
        startNanos = 0;
        sampler = cpu;
    }

    /** Called for every record served; only the first one of a run counts. */
    static void started() {
        if (startNanos == 0) {
            synchronized (RunClock.class) {
                if (startNanos == 0) {
                    if (sampler != null) {
                        sampler.begin();
                    }
                    startCpuNanos = processCpuNanos();
                    startNanos = System.nanoTime();
                }
            }
        }
    }

    static double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static long cpuNanos() {
        return processCpuNanos() - startCpuNanos;
    }

    /** CPU time of every thread of this process (Flink's, GC and JIT included). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
