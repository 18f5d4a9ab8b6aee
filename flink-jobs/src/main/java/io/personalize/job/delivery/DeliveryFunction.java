package io.personalize.job.delivery;

import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryEndpoints;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.delivery.Endpoint;
import io.personalize.core.delivery.RetryPolicy;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * POSTs a decision's trigger to its endpoint, signed the Standard Webhooks way, with Java's
 * asynchronous {@link HttpClient}, and retries it here, on this function's own scheduler, until its
 * final outcome ({@link TriggerDelivery}): delivered, or failed after its last attempt or at its
 * maximum age. The async operator completes a trigger only then, so the trigger stays in its
 * checkpointed queue through every retry (and is sent again after a restore), and the operator's
 * end of input waits for it.
 *
 * <p>Not Flink's retry strategy ({@code unorderedWaitWithRetry}): at the end of input its {@code
 * AsyncWaitOperator#endInput} fires every trigger waiting for a retry once at once and takes
 * whatever that attempt gives as final, so a bounded run failed triggers after a few attempts.
 */
public final class DeliveryFunction extends RichAsyncFunction<Decision, DeliveryResult> {
    private final DeliveryEndpoints endpoints;
    private final RetryPolicy policy;

    private transient HttpClient client;

    /** Runs the HTTP completions: no thread per completion. */
    private transient ExecutorService executor;

    /** Client timeouts, rate-limit waits and the next attempts. */
    private transient ScheduledThreadPoolExecutor scheduler;

    private transient Map<String, TriggerDelivery.Shared> byEndpoint;

    /** Triggers with no final outcome yet, by decision id, for the stage timeout. */
    private transient Map<String, TriggerDelivery> open;

    private transient Counter cancelledErased;

    public DeliveryFunction(DeliveryEndpoints endpoints, RetryPolicy policy) {
        this.endpoints = endpoints;
        this.policy = policy;
    }

    @Override
    public void open(OpenContext context) {
        int index = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        executor = Executors.newFixedThreadPool(2, daemons("delivery-" + index + "-"));
        scheduler = new ScheduledThreadPoolExecutor(1, daemons("delivery-timer-" + index + "-"));
        scheduler.setRemoveOnCancelPolicy(true);
        client =
                HttpClient.newBuilder()
                        .connectTimeout(endpoints.slowestTimeout())
                        .executor(executor)
                        .build();
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        byEndpoint = new HashMap<>();
        for (Endpoint endpoint : endpoints.byId().values()) {
            byEndpoint.put(
                    endpoint.id(),
                    new TriggerDelivery.Shared(
                            client,
                            scheduler,
                            policy,
                            endpoint.template() == null ? endpoint.signer(System.getenv()) : null,
                            endpoint.template() == null
                                    ? null
                                    : endpoint.authorization(System.getenv()),
                            new EndpointRateLimiter(endpoint.ratePerSecond() / parallelism)));
        }
        open = new ConcurrentHashMap<>();
        cancelledErased =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("personalize")
                        .counter("deliveries_cancelled_erased");
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger threads = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void asyncInvoke(Decision decision, ResultFuture<DeliveryResult> future) {
        if (DeliveryStage.isCancellation(decision)) {
            giveUp(decision.customerKey);
            future.complete(List.of());
            return;
        }
        Endpoint endpoint = endpoints.get(decision.endpointId).orElse(null);
        if (endpoint == null) {
            DeliveryResult result = DeliveryResult.of(decision);
            result.status = DeliveryResult.FAILED;
            result.error = "unknown endpoint " + decision.endpointId;
            result.completedAt = System.currentTimeMillis();
            future.complete(List.of(result));
            return;
        }
        String id = decision.decisionId;
        TriggerDelivery[] self = new TriggerDelivery[1];
        self[0] =
                new TriggerDelivery(
                        decision,
                        endpoint,
                        byEndpoint.get(endpoint.id()),
                        results -> {
                            open.remove(id, self[0]);
                            future.complete(results);
                        });
        open.put(id, self[0]);
        self[0].start();
    }

    /** Gives up every trigger of an erased customer that has no final outcome yet. */
    private void giveUp(String customerKey) {
        for (TriggerDelivery delivery : List.copyOf(open.values())) {
            if (customerKey.equals(delivery.customerKey()) && delivery.giveUp()) {
                cancelledErased.inc();
            }
        }
    }

    /**
     * The stage's own timeout, set above the maximum age: the trigger fails, it never fails the
     * job.
     */
    @Override
    public void timeout(Decision decision, ResultFuture<DeliveryResult> future) {
        DeliveryResult result = DeliveryResult.of(decision);
        TriggerDelivery delivery = open.remove(decision.decisionId);
        if (delivery != null) {
            delivery.cancel();
            result.attempts = delivery.attempts();
            result.firstAttemptAt = delivery.firstAttemptAt();
        }
        result.status = DeliveryResult.FAILED;
        result.error = "no final answer within the stage timeout";
        result.completedAt = System.currentTimeMillis();
        future.complete(List.of(result));
    }

    @Override
    public void close() throws Exception {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        super.close();
    }
}
