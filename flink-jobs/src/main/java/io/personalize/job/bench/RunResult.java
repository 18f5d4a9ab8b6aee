package io.personalize.job.bench;

import java.util.List;
import java.util.Locale;

/**
 * One measured run ({@link BenchJobs#measure}): wall and process CPU time from its first record to
 * its end, the latency histograms' quantiles and where the CPU went.
 */
record RunResult(
        double seconds,
        long cpuNanos,
        long p50Millis,
        long p99Millis,
        long decisionsProbed,
        long decisionP50Millis,
        long decisionP99Millis,
        CpuBreakdown cpu) {

    double eventsPerSecond(long events) {
        return events / seconds;
    }

    double cpuMicrosPerEvent(long events) {
        return cpuNanos / 1e3 / events;
    }

    String line(String pipeline, long events) {
        return String.format(
                Locale.ROOT,
                "pipeline=%s events=%d seconds=%.2f events_per_sec=%.0f cpu_us_per_event=%.1f"
                        + " latency_p50_ms=%d latency_p99_ms=%d",
                pipeline,
                events,
                seconds,
                eventsPerSecond(events),
                cpuMicrosPerEvent(events),
                p50Millis,
                p99Millis);
    }

    String pacedLine(long events, double rate) {
        return String.format(
                Locale.ROOT,
                "pipeline=paced_compressed events=%d rate=%.0f seconds=%.2f cpu_us_per_event=%.1f"
                        + " decisions_probed=%d decision_latency_p50_ms=%d"
                        + " decision_latency_p99_ms=%d",
                events,
                rate,
                seconds,
                cpuMicrosPerEvent(events),
                decisionsProbed,
                decisionP50Millis,
                decisionP99Millis);
    }

    /** One {@code stage_cpu} line per task and category; they add up to {@link #cpuNanos}. */
    List<String> cpuLines(String pipeline, long events) {
        return cpu.lines(pipeline, events, cpuNanos);
    }
}
