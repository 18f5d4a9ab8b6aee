package io.personalize.job.bench;

import io.personalize.core.conversions.Attribution;
import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryEndpoints;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.delivery.RetryPolicy;
import io.personalize.job.config.DeliverySettings;
import io.personalize.job.delivery.DeliveryStage;
import io.personalize.job.demo.DemoEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * {@code stage=delivery}: the delivery stage alone, signing and POSTing generated decisions to the
 * demo's local endpoint (which checks every signature and logs every request), in a MiniCluster.
 * What an endpoint on the same machine costs the job: requests per second and the time from a
 * trigger's first attempt to its answer, under full load.
 */
final class DeliveryCost {
    private static final String SECRET = "whsec_YmVuY2gtc2lnbmluZy1zZWNyZXQtMzItYnl0ZXMhIQ==";

    private DeliveryCost() {}

    static String measure(StreamExecutionEnvironment env, int requests, Path scratch)
            throws Exception {
        Files.createDirectories(scratch);
        Path secret = scratch.resolve("endpoint-secret");
        Files.writeString(secret, SECRET);
        try (DemoEndpoint endpoint =
                DemoEndpoint.start(SECRET, scratch.resolve("deliveries.jsonl"))) {
            DeliverySettings settings =
                    new DeliverySettings(
                            DeliveryEndpoints.parse(
                                    "endpoints:\n  esp:\n    url: "
                                            + endpoint.url()
                                            + "\n    secret-file: "
                                            + secret
                                            + "\n",
                                    "bench endpoints"),
                            new RetryPolicy(
                                    3,
                                    Duration.ofMillis(100),
                                    Duration.ofSeconds(1),
                                    Duration.ofMinutes(10)),
                            100,
                            Duration.ofDays(7),
                            Attribution.Mode.LAST);
            List<Decision> decisions = new ArrayList<>(requests);
            long now = System.currentTimeMillis();
            for (int i = 0; i < requests; i++) {
                decisions.add(decision(i, now));
            }
            long start = System.nanoTime();
            long[] latencies = new long[requests];
            int n = 0;
            int delivered = 0;
            try (CloseableIterator<DeliveryResult> results =
                    DeliveryStage.build(
                                    env.fromData(decisions, TypeInformation.of(Decision.class)),
                                    settings)
                            .results()
                            .executeAndCollect("bench-delivery")) {
                while (results.hasNext()) {
                    DeliveryResult r = results.next();
                    if (n < latencies.length) {
                        latencies[n++] = r.completedAt - r.firstAttemptAt;
                    }
                    delivered += r.delivered() ? 1 : 0;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            return String.format(
                    Locale.ROOT,
                    "stage=delivery requests=%d delivered=%d seconds=%.2f requests_per_sec=%.0f"
                            + " request_p50_ms=%d request_p99_ms=%d",
                    requests,
                    delivered,
                    seconds,
                    requests / seconds,
                    n == 0 ? 0 : sorted[n / 2],
                    n == 0 ? 0 : sorted[Math.min(n - 1, (int) (n * 0.99))]);
        }
    }

    private static Decision decision(int i, long now) {
        Decision d = new Decision();
        d.decisionId = "bench-" + i;
        d.customerKey = "c:bench-" + (i % 5000);
        d.customerId = "bench-" + (i % 5000);
        d.flowId = "abandoned_cart";
        d.outcome = "to_send";
        d.endpointId = "esp";
        d.templateId = "tpl_abandoned_cart";
        d.triggeredAt = now;
        d.decidedAt = now;
        d.processedAt = now;
        d.variables.put("cart_value", "42.00");
        return d;
    }
}
