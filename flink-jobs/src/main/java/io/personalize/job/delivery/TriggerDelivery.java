package io.personalize.job.delivery;

import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.AttemptFailure;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.delivery.Endpoint;
import io.personalize.core.delivery.RetryPolicy;
import io.personalize.core.delivery.WebhookSignature;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every attempt of one trigger, from the first to its final outcome, which it alone reports: the
 * async operator sees one call per trigger and keeps the trigger in its checkpointed queue until
 * then, and a bounded run's end of input waits for it.
 *
 * <p>An attempt that gets no answer within the endpoint's timeout counts as timed out and the next
 * attempt is scheduled, but its request stays open until that next attempt is due (at most {@code
 * timeout + max-backoff}): a 2xx that arrives meanwhile, or from any attempt while the trigger is
 * still open, delivers it and no further attempt is made. A late error answer changes nothing. The
 * last attempt, having no next one, waits for its answer that long too.
 *
 * <p>All methods run under this object's lock: HTTP completions, the client timeout and the
 * scheduled next attempt come from different threads.
 */
final class TriggerDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerDelivery.class);

    /**
     * What every trigger of one subtask shares: the client, the timers, per-endpoint helpers. A
     * generic endpoint has a signer, a templated one its Authorization header value.
     */
    record Shared(
            HttpClient client,
            ScheduledExecutorService scheduler,
            RetryPolicy policy,
            WebhookSignature signer,
            String authorization,
            EndpointRateLimiter limiter) {}

    private final Decision decision;
    private final Endpoint endpoint;
    private final Shared shared;
    private final Consumer<List<DeliveryResult>> complete;
    private final DeliveryResult result;
    private final String body;

    /** Attempts sent; the number of the current one. */
    private int attempts;

    /** The current attempt got its answer (or its client timeout) and was handled. */
    private boolean currentSettled;

    private boolean done;

    /** The client timeout of the current attempt, or the next attempt's start. */
    private ScheduledFuture<?> timer;

    TriggerDelivery(
            Decision decision,
            Endpoint endpoint,
            Shared shared,
            Consumer<List<DeliveryResult>> complete) {
        this.decision = decision;
        this.endpoint = endpoint;
        this.shared = shared;
        this.complete = complete;
        this.result = DeliveryResult.of(decision);
        this.body = endpoint.body(decision);
    }

    /** Makes the first attempt (after the endpoint's rate limit allows it). */
    synchronized void start() {
        attempt();
    }

    /** The customer's key. */
    String customerKey() {
        return decision.customerKey;
    }

    /** Stops: no further attempt, nothing reported (the caller reports the outcome). */
    synchronized void cancel() {
        done = true;
        cancelTimer();
    }

    /**
     * Gives the trigger up with no outcome (its customer was erased): no further attempt, and the
     * operator completes it with nothing to report. False when its outcome came first.
     */
    synchronized boolean giveUp() {
        if (done) {
            return false;
        }
        done = true;
        cancelTimer();
        complete.accept(List.of());
        return true;
    }

    synchronized int attempts() {
        return attempts;
    }

    synchronized long firstAttemptAt() {
        return result.firstAttemptAt;
    }

    private void attempt() {
        if (done) {
            return;
        }
        long now = System.currentTimeMillis();
        Optional<String> tooOld =
                shared.policy().tooOld(attempts, result.error, decision.processedAt, now);
        if (tooOld.isPresent()) {
            fail(now, tooOld.get());
            return;
        }
        long delay = shared.limiter().reserveDelayMillis(System.nanoTime());
        if (delay > 0) {
            timer = shared.scheduler().schedule(this::sendLocked, delay, TimeUnit.MILLISECONDS);
        } else {
            send();
        }
    }

    private synchronized void sendLocked() {
        if (!done) {
            send();
        }
    }

    private void send() {
        attempts++;
        int attempt = attempts;
        currentSettled = false;
        long now = System.currentTimeMillis();
        if (attempt == 1) {
            result.firstAttemptAt = now;
        }
        timer =
                shared.scheduler()
                        .schedule(
                                () -> clientTimeout(attempt),
                                endpoint.timeout().toMillis(),
                                TimeUnit.MILLISECONDS);
        shared.client()
                .sendAsync(request(now), HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> answered(attempt, response, error));
    }

    /** The request stays open past the client timeout until the next attempt could be due. */
    private HttpRequest request(long now) {
        String id = decision.decisionId;
        long timestamp = now / 1000;
        HttpRequest.Builder request =
                HttpRequest.newBuilder(endpoint.url())
                        .timeout(endpoint.timeout().plus(shared.policy().maxBackoff()))
                        .header("content-type", endpoint.contentType());
        if (endpoint.template() == null) {
            request.header(WebhookSignature.ID_HEADER, id)
                    .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(
                            WebhookSignature.SIGNATURE_HEADER,
                            shared.signer().sign(id, timestamp, body));
        } else {
            // an email service's own API: its key, its headers; the id is in the body
            request.header("authorization", shared.authorization());
            endpoint.headers().forEach(request::header);
        }
        return request.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private synchronized void clientTimeout(int attempt) {
        if (done || attempt != attempts || currentSettled) {
            return;
        }
        result.httpStatus = null;
        result.error = "timeout after " + endpoint.timeout().toMillis() + " ms";
        if (attempts >= shared.policy().maxAttempts()) {
            return; // no next attempt to wait for: the request's own timeout ends the last one
        }
        currentSettled = true;
        retryOrFail(System.currentTimeMillis(), AttemptFailure.noAnswer(result.error));
    }

    private synchronized void answered(int attempt, HttpResponse<Void> response, Throwable error) {
        if (done) {
            return;
        }
        long now = System.currentTimeMillis();
        if (response != null && response.statusCode() / 100 == 2) {
            result.httpStatus = response.statusCode();
            result.error = null;
            finish(now, DeliveryResult.DELIVERED);
            return;
        }
        if (attempt != attempts || currentSettled) {
            return; // a late error: the next attempt is scheduled or sent already
        }
        currentSettled = true;
        cancelTimer();
        AttemptFailure failure =
                response != null
                        ? AttemptFailure.answered(
                                response.statusCode(),
                                response.headers().firstValue("retry-after").orElse(null),
                                now)
                        : AttemptFailure.noAnswer(describe(error, endpoint.timeout()));
        result.httpStatus = failure.httpStatus();
        result.error = failure.error();
        if (failure.retryable()) {
            result.retryAfterMillis = failure.retryAfterMillis();
        }
        retryOrFail(now, failure);
    }

    /** The next attempt as the retry policy says, or the trigger fails with its reason. */
    private void retryOrFail(long now, AttemptFailure failure) {
        RetryPolicy.NextAttempt next =
                shared.policy()
                        .after(
                                failure,
                                attempts,
                                now,
                                decision.processedAt,
                                ThreadLocalRandom.current().nextDouble());
        if (!next.retries()) {
            fail(now, next.giveUp());
            return;
        }
        timer =
                shared.scheduler()
                        .schedule(
                                this::attemptLocked,
                                Math.max(0, next.at() - now),
                                TimeUnit.MILLISECONDS);
    }

    private synchronized void attemptLocked() {
        attempt();
    }

    private void fail(long now, String error) {
        result.error = error;
        finish(now, DeliveryResult.FAILED);
    }

    private void finish(long now, String status) {
        done = true;
        cancelTimer();
        result.status = status;
        result.attempts = attempts;
        result.completedAt = now;
        complete.accept(List.of(result));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    static String describe(Throwable error, Duration timeout) {
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        if (cause instanceof HttpTimeoutException) {
            return "timeout after " + timeout.toMillis() + " ms";
        }
        if (cause instanceof IOException) {
            return "connection error: " + cause.getClass().getSimpleName();
        }
        LOG.warn("Unexpected error delivering a trigger", cause);
        return "error: " + cause.getClass().getSimpleName();
    }
}
