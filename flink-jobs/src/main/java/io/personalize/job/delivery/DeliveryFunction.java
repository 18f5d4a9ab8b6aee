package io.personalize.job.delivery;

import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryEndpoints;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.delivery.Endpoint;
import io.personalize.core.delivery.RetryPolicy;
import io.personalize.core.delivery.TriggerPayload;
import io.personalize.core.delivery.WebhookSignature;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt to POST a decision's trigger to its endpoint, signed the Standard Webhooks way, with
 * Java's asynchronous {@link HttpClient}. Flink's async I/O operator runs it, keeps what is in
 * flight in its checkpoints, and tries again what comes back {@link DeliveryResult#RETRY} after the
 * backoff of {@link DeliveryRetryStrategy}.
 *
 * <p>An attempt ends delivered (2xx), failed (another 4xx, an unknown endpoint, past the maximum
 * age, or the last allowed attempt) or retry (408, 429, 5xx, timeout, connection error). A {@code
 * Retry-After} is honoured by completing the retry result only after it: the strategy's backoff
 * then comes on top.
 */
public final class DeliveryFunction extends RichAsyncFunction<Decision, DeliveryResult> {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryFunction.class);

    private final DeliveryEndpoints endpoints;
    private final RetryPolicy policy;

    private transient HttpClient client;

    /** Runs the HTTP completions and the delayed starts and retries: no thread per completion. */
    private transient ExecutorService executor;

    private transient Map<String, WebhookSignature> signers;
    private transient Map<String, EndpointRateLimiter> limiters;

    /** Attempts so far per decision in flight; counts restart from 1 after a restore. */
    private transient Map<String, Attempts> attempts;

    private record Attempts(long firstAt, int count) {}

    public DeliveryFunction(DeliveryEndpoints endpoints, RetryPolicy policy) {
        this.endpoints = endpoints;
        this.policy = policy;
    }

    @Override
    public void open(OpenContext context) {
        int index = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        AtomicInteger threads = new AtomicInteger();
        executor =
                Executors.newFixedThreadPool(
                        2,
                        runnable -> {
                            Thread t =
                                    new Thread(
                                            runnable,
                                            "delivery-" + index + "-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        client =
                HttpClient.newBuilder()
                        .connectTimeout(endpoints.slowestTimeout())
                        .executor(executor)
                        .build();
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        signers = new HashMap<>();
        limiters = new HashMap<>();
        for (Endpoint endpoint : endpoints.byId().values()) {
            signers.put(endpoint.id(), endpoint.signer(System.getenv()));
            limiters.put(
                    endpoint.id(), new EndpointRateLimiter(endpoint.ratePerSecond() / parallelism));
        }
        attempts = new ConcurrentHashMap<>();
    }

    @Override
    public void asyncInvoke(Decision decision, ResultFuture<DeliveryResult> future) {
        long now = System.currentTimeMillis();
        Attempts so =
                attempts.merge(
                        decision.decisionId,
                        new Attempts(now, 1),
                        (old, first) -> new Attempts(old.firstAt(), old.count() + 1));
        DeliveryResult result = DeliveryResult.of(decision);
        result.attempts = so.count();
        result.firstAttemptAt = so.firstAt();
        Endpoint endpoint = endpoints.get(decision.endpointId).orElse(null);
        if (endpoint == null) {
            finish(future, failed(result, "unknown endpoint " + decision.endpointId, now));
            return;
        }
        if (now - decision.processedAt > policy.maxAge().toMillis()) {
            finish(future, failed(result, "older than the maximum age " + policy.maxAge(), now));
            return;
        }
        String body = TriggerPayload.json(decision);
        long delay = limiters.get(endpoint.id()).reserveDelayMillis(System.nanoTime());
        CompletableFuture<Void> start =
                delay == 0
                        ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.runAsync(
                                () -> {},
                                CompletableFuture.delayedExecutor(
                                        delay, TimeUnit.MILLISECONDS, executor));
        start.thenCompose(
                        ignored ->
                                client.sendAsync(
                                        request(endpoint, decision.decisionId, body),
                                        HttpResponse.BodyHandlers.discarding()))
                .whenComplete(
                        (response, error) -> complete(future, result, endpoint, response, error));
    }

    private HttpRequest request(Endpoint endpoint, String id, String body) {
        long timestamp = System.currentTimeMillis() / 1000;
        return HttpRequest.newBuilder(endpoint.url())
                .timeout(endpoint.timeout())
                .header("content-type", "application/json")
                .header(WebhookSignature.ID_HEADER, id)
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(
                        WebhookSignature.SIGNATURE_HEADER,
                        signers.get(endpoint.id()).sign(id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private void complete(
            ResultFuture<DeliveryResult> future,
            DeliveryResult result,
            Endpoint endpoint,
            HttpResponse<Void> response,
            Throwable error) {
        long now = System.currentTimeMillis();
        result.completedAt = now;
        if (response != null) {
            result.httpStatus = response.statusCode();
            if (response.statusCode() / 100 == 2) {
                result.status = DeliveryResult.DELIVERED;
                finish(future, result);
                return;
            }
            result.error = "HTTP " + response.statusCode();
            if (!RetryPolicy.retryableStatus(response.statusCode())) {
                finish(future, failed(result, result.error, now));
                return;
            }
            result.retryAfterMillis =
                    RetryPolicy.retryAfterMillis(
                            response.headers().firstValue("retry-after").orElse(null), now);
        } else {
            result.error = describe(error, endpoint);
        }
        retryOrFail(future, result, now);
    }

    private void retryOrFail(ResultFuture<DeliveryResult> future, DeliveryResult result, long now) {
        if (result.attempts >= policy.maxAttempts()) {
            finish(
                    future,
                    failed(
                            result,
                            "gave up after " + result.attempts + " attempts: " + result.error,
                            now));
            return;
        }
        long ageLeft = policy.maxAge().toMillis() - (now - result.decisionProcessedAt);
        if (result.retryAfterMillis > ageLeft) {
            finish(
                    future,
                    failed(
                            result,
                            result.error
                                    + " with Retry-After "
                                    + result.retryAfterMillis / 1000
                                    + "s, beyond the maximum age",
                            now));
            return;
        }
        result.status = DeliveryResult.RETRY;
        if (result.retryAfterMillis > 0) {
            CompletableFuture.delayedExecutor(
                            result.retryAfterMillis, TimeUnit.MILLISECONDS, executor)
                    .execute(() -> future.complete(List.of(result)));
        } else {
            future.complete(List.of(result));
        }
    }

    private static String describe(Throwable error, Endpoint endpoint) {
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        if (cause instanceof HttpTimeoutException) {
            return "timeout after " + endpoint.timeout().toMillis() + " ms";
        }
        if (cause instanceof IOException) {
            return "connection error: " + cause.getClass().getSimpleName();
        }
        LOG.warn("Unexpected error delivering to endpoint {}", endpoint.id(), cause);
        return "error: " + cause.getClass().getSimpleName();
    }

    private DeliveryResult failed(DeliveryResult result, String error, long now) {
        result.status = DeliveryResult.FAILED;
        result.error = error;
        result.completedAt = now;
        return result;
    }

    private void finish(ResultFuture<DeliveryResult> future, DeliveryResult result) {
        attempts.remove(result.decisionId);
        future.complete(List.of(result));
    }

    /** The stage's own timeout: the trigger fails, it never fails the job. */
    @Override
    public void timeout(Decision decision, ResultFuture<DeliveryResult> future) {
        DeliveryResult result = DeliveryResult.of(decision);
        Attempts so = attempts.remove(decision.decisionId);
        result.attempts = so == null ? 0 : so.count();
        result.firstAttemptAt = so == null ? 0 : so.firstAt();
        future.complete(
                List.of(
                        failed(
                                result,
                                "no final answer within the stage timeout",
                                System.currentTimeMillis())));
    }

    @Override
    public void close() throws Exception {
        if (executor != null) {
            executor.shutdownNow();
        }
        super.close();
    }
}
