package io.personalize.job.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU of one measured run by thread label ({@link CpuSampler}, {@link ThreadLabels}): one line
 * per task, the largest first, then one per category in a fixed order. "other" is what the labelled
 * threads do not explain of the process CPU the run measured (unlisted Java threads, the JVM's
 * threads that are neither GC nor JIT, threads that ended between samples), so the lines add up to
 * it.
 *
 * @param nanosByLabel CPU nanoseconds by label
 * @param fullNames the whole vertex name of each task whose label shortens it
 */
record CpuBreakdown(Map<String, Long> nanosByLabel, Map<String, String> fullNames) {
    static final CpuBreakdown NONE = new CpuBreakdown(Map.of(), Map.of());

    /**
     * @param processCpuNanos the process CPU of the run, which the lines add up to
     */
    List<String> lines(String pipeline, long events, long processCpuNanos) {
        List<Map.Entry<String, Long>> tasks = new ArrayList<>();
        long labelled = 0;
        for (Map.Entry<String, Long> entry : nanosByLabel.entrySet()) {
            if (!ThreadLabels.CATEGORIES.contains(entry.getKey())) {
                tasks.add(entry);
            }
            if (!ThreadLabels.OTHER.equals(entry.getKey())) {
                labelled += entry.getValue();
            }
        }
        tasks.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Long> task : tasks) {
            lines.add(line(pipeline, task.getKey(), task.getValue(), events, processCpuNanos));
        }
        for (String category : ThreadLabels.CATEGORIES) {
            long nanos =
                    ThreadLabels.OTHER.equals(category)
                            ? processCpuNanos - labelled
                            : nanosByLabel.getOrDefault(category, 0L);
            lines.add(line(pipeline, category, nanos, events, processCpuNanos));
        }
        return lines;
    }

    private static String line(
            String pipeline, String label, long nanos, long events, long processCpuNanos) {
        return String.format(
                Locale.ROOT,
                "stage_cpu pipeline=%s task=\"%s\" cpu_us_per_event=%.1f share=%.3f",
                pipeline,
                label,
                nanos / 1e3 / events,
                processCpuNanos > 0 ? (double) nanos / processCpuNanos : 0);
    }
}
