package org.apache.flink.metrics.prometheus;

import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter with the address it listens on configurable ({@code host}, default
 * {@code 127.0.0.1}; {@code port} as in Flink's reporter). Flink's own {@link PrometheusReporter}
 * always listens on every interface; the local demo and {@code run} must not. It lives in Flink's
 * package because the registry it serves is package-private in {@link AbstractPrometheusReporter};
 * everything else (metric names, labels, collectors) is Flink's. On a cluster the Helm chart uses
 * Flink's reporter, where listening on the pod's address is what Prometheus needs.
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
    private HTTPServer httpServer;
    private InetSocketAddress address;

    LoopbackPrometheusReporter(String host, PortRange ports) {
        IOException last = null;
        Iterator<Integer> candidates = ports.getPortsIterator();
        while (candidates.hasNext()) {
            InetSocketAddress candidate = new InetSocketAddress(host, candidates.next());
            try {
                this.httpServer = new HTTPServer(candidate, registry, true);
                this.address = candidate;
                log.info("Prometheus metrics on http://{}:{}/metrics", host, candidate.getPort());
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException(
                "no free port in " + ports + " for the Prometheus reporter on " + host, last);
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        httpServer.stop();
        super.close();
    }

    /** {@code metrics.reporter.<name>.factory.class} for {@link LoopbackPrometheusReporter}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public LoopbackPrometheusReporter createMetricReporter(Properties properties) {
            MetricConfig config = (MetricConfig) properties;
            return new LoopbackPrometheusReporter(
                    config.getString("host", "127.0.0.1"),
                    new PortRange(config.getString("port", "9249")));
        }
    }
}
