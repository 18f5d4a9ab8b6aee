package io.personalize.job.metrics;

import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * A histogram of durations that reports seconds, Prometheus's base unit, while it records them in a
 * finer unit (Flink's histograms record {@code long}s, which would round sub-second durations to
 * 0): {@code update} takes the fine unit, the statistics (quantiles, mean, standard deviation) are
 * in seconds. Min and max stay {@code long}s in Flink's interface and are reported in whole
 * seconds; the Prometheus reporter exports the quantiles and the count.
 *
 * <pre>{@code
 * Histogram latency = group.histogram("delivery_latency_seconds", SecondsHistogram.ofMillis(1000));
 * latency.update(elapsedMillis);
 * }</pre>
 */
public final class SecondsHistogram implements Histogram {
    private final DescriptiveStatisticsHistogram recorded;
    private final double secondsPerUnit;

    private SecondsHistogram(int window, double secondsPerUnit) {
        this.recorded = new DescriptiveStatisticsHistogram(window);
        this.secondsPerUnit = secondsPerUnit;
    }

    /** Records milliseconds, over the last {@code window} values. */
    public static SecondsHistogram ofMillis(int window) {
        return new SecondsHistogram(window, 1e-3);
    }

    /** Records microseconds, over the last {@code window} values. */
    public static SecondsHistogram ofMicros(int window) {
        return new SecondsHistogram(window, 1e-6);
    }

    @Override
    public void update(long value) {
        recorded.update(value);
    }

    @Override
    public long getCount() {
        return recorded.getCount();
    }

    @Override
    public HistogramStatistics getStatistics() {
        HistogramStatistics s = recorded.getStatistics();
        double scale = secondsPerUnit;
        return new HistogramStatistics() {
            @Override
            public double getQuantile(double quantile) {
                return s.getQuantile(quantile) * scale;
            }

            @Override
            public long[] getValues() {
                return s.getValues();
            }

            @Override
            public int size() {
                return s.size();
            }

            @Override
            public double getMean() {
                return s.getMean() * scale;
            }

            @Override
            public double getStdDev() {
                return s.getStdDev() * scale;
            }

            @Override
            public long getMax() {
                return (long) (s.getMax() * scale);
            }

            @Override
            public long getMin() {
                return (long) (s.getMin() * scale);
            }
        };
    }
}
