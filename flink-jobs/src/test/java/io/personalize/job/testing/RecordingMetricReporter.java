package io.personalize.job.testing;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Records the identifier and the labels (variables) of every metric a job on a MiniCluster in this
 * JVM registers, for tests of what metric names carry. Configure with {@code
 * metrics.reporter.<name>.factory.class=io.personalize.job.testing.RecordingMetricReporter$Factory}.
 */
public final class RecordingMetricReporter implements MetricReporter {
    private static final ConcurrentLinkedQueue<String> REGISTERED = new ConcurrentLinkedQueue<>();

    /** Every metric registered so far: its identifier, then its labels. */
    public static List<String> registered() {
        return List.copyOf(REGISTERED);
    }

    public static void clear() {
        REGISTERED.clear();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        REGISTERED.add(group.getMetricIdentifier(metricName) + " " + group.getAllVariables());
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {}

    /** Found through {@code META-INF/services} of the test classpath. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new RecordingMetricReporter();
        }
    }
}
