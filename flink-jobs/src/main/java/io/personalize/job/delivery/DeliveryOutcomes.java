package io.personalize.job.delivery;

import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.DeadLetters;
import io.personalize.job.Descriptors;
import io.personalize.job.metrics.SecondsHistogram;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The end of each trigger, after the async stage: every result goes on (the {@code deliveries}
 * table); a failed one is also a dead letter ({@code delivery_failed}, stage {@code delivery}) with
 * the last error. Counts deliveries, failures and retries and measures latency, per endpoint, here
 * on the task thread.
 */
public final class DeliveryOutcomes extends ProcessFunction<DeliveryResult, DeliveryResult> {
    public static final String STAGE = "delivery";

    private transient MetricGroup metrics;
    private transient Map<String, EndpointMetrics> byEndpoint;

    private record EndpointMetrics(
            Counter delivered, Counter failed, Counter retries, Histogram latency) {}

    @Override
    public void open(OpenContext context) {
        metrics = getRuntimeContext().getMetricGroup().addGroup("personalize");
        byEndpoint = new HashMap<>();
    }

    @Override
    public void processElement(DeliveryResult result, Context ctx, Collector<DeliveryResult> out) {
        EndpointMetrics m = metricsOf(String.valueOf(result.endpointId));
        m.retries().inc(Math.max(0, result.attempts - 1));
        m.latency().update(result.latencyMillis());
        if (result.delivered()) {
            m.delivered().inc();
        } else {
            m.failed().inc();
            ctx.output(Descriptors.DEAD_LETTERS, deadLetter(result));
        }
        out.collect(result);
    }

    private EndpointMetrics metricsOf(String endpointId) {
        return byEndpoint.computeIfAbsent(
                endpointId,
                id -> {
                    MetricGroup group = metrics.addGroup("endpoint", id);
                    return new EndpointMetrics(
                            group.counter("deliveries_delivered"),
                            group.counter("deliveries_failed"),
                            group.counter("delivery_retries"),
                            group.histogram(
                                    "delivery_latency_seconds", SecondsHistogram.ofMillis(1000)));
                });
    }

    /** The decision id identifies it: the decisions table has everything to send it again. */
    static DeadLetter deadLetter(DeliveryResult r) {
        String summary =
                "{\"decision_id\":\""
                        + r.decisionId
                        + "\",\"flow_id\":\""
                        + r.flowId
                        + "\",\"endpoint_id\":\""
                        + r.endpointId
                        + "\",\"attempts\":"
                        + r.attempts
                        + (r.httpStatus == null ? "" : ",\"http_status\":" + r.httpStatus)
                        + "}";
        DeadLetter letter =
                DeadLetters.of(
                        DeadLetterReason.DELIVERY_FAILED,
                        "trigger to endpoint " + r.endpointId + " failed: " + r.error,
                        STAGE,
                        r.decisionId,
                        summary,
                        r.completedAt);
        letter.stage = STAGE;
        letter.eventId = r.decisionId;
        letter.eventType = "decision";
        letter.occurredAt = r.decidedAt;
        letter.customerId = r.customerId;
        return letter;
    }
}
