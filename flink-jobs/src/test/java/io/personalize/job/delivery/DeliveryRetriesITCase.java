package io.personalize.job.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.conversions.Attribution;
import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryEndpoints;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.delivery.RetryPolicy;
import io.personalize.job.config.DeliverySettings;
import io.personalize.job.testing.TestConfig;
import io.personalize.job.testing.ToQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded run ends with its pending retries done: the delivery stage on a MiniCluster against a
 * real local endpoint that fails 30 % of requests (503, 429 with {@code Retry-After}, an answer
 * after the client's timeout), with backoffs long enough that many triggers are still waiting for
 * their next attempt when the input ends. The endpoint counts the attempts per webhook id, so the
 * checks do not rely on what the job says about itself.
 */
class DeliveryRetriesITCase {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final int FLAKY_TRIGGERS = 1_000;
    private static final int BROKEN_TRIGGERS = 20;
    private static final int AGING_TRIGGERS = 10;
    private static final int MAX_ATTEMPTS = 3;
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(200);
    private static final long SLOW_ANSWER_MILLIS = 300;
    private static final Duration MAX_AGE = Duration.ofSeconds(60);

    /** Aging triggers have this much of their maximum age left when they reach the stage. */
    private static final long AGE_LEFT_MILLIS = 1_200;

    /**
     * What counts as "at the same time" between client and server: the server stamps a request when
     * its dispatcher gets to it, which on a loaded machine is a while after it was sent.
     */
    private static final long RACE_MARGIN_MILLIS = 500;

    private static final RetryPolicy POLICY =
            new RetryPolicy(
                    MAX_ATTEMPTS, Duration.ofMillis(2_000), Duration.ofMillis(4_000), MAX_AGE);

    @AfterEach
    void dropQueue() {
        ToQueue.drop("delivery-retries-results");
    }

    @Test
    void everyTriggerIsDeliveredOrFailsOnlyAfterItsLastAttemptOrMaxAgeWhenTheInputEnds(
            @TempDir Path tmp) throws Exception {
        Path secretFile = tmp.resolve("secret");
        Files.writeString(secretFile, SECRET);
        try (CountingEndpoint server = new CountingEndpoint(17, SLOW_ANSWER_MILLIS)) {
            List<Decision> decisions = new ArrayList<>();
            for (int i = 0; i < AGING_TRIGGERS; i++) {
                decisions.add(decision("aging-" + i, "broken"));
            }
            for (int i = 0; i < FLAKY_TRIGGERS; i++) {
                decisions.add(decision("dec-" + i, "flaky"));
                if (i % 50 == 0) {
                    decisions.add(decision("broken-" + i, "broken"));
                }
            }
            Queue<DeliveryResult> results = ToQueue.fresh("delivery-retries-results");

            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            TestConfig.of("personalize.restart.attempts=0"));
            env.setParallelism(2);
            DataStream<Decision> input =
                    env.fromData(decisions, TypeInformation.of(Decision.class))
                            .map(DeliveryRetriesITCase::decidedNow)
                            .returns(Decision.class);
            DeliveryStage.build(input, settings(server, secretFile))
                    .results()
                    .sinkTo(new ToQueue<>("delivery-retries-results"));
            env.execute("delivery retries past the end of input");

            Map<String, List<CountingEndpoint.Attempt>> attempts = server.attemptsById();
            Map<String, DeliveryResult> byId =
                    results.stream().collect(Collectors.toMap(r -> r.decisionId, r -> r));
            report(byId, attempts);

            assertThat(results).as("one result per trigger").hasSize(decisions.size());
            assertThat(byId.keySet())
                    .isEqualTo(
                            decisions.stream().map(d -> d.decisionId).collect(Collectors.toSet()));
            attempts.forEach(
                    (id, tries) -> {
                        assertThat(tries.stream().map(CountingEndpoint.Attempt::body).distinct())
                                .as("%s: one body on every attempt", id)
                                .hasSize(1)
                                .allSatisfy(body -> assertThat(body).contains("\"" + id + "\""));
                        assertThat(tries)
                                .as("%s: attempts", id)
                                .hasSizeLessThanOrEqualTo(MAX_ATTEMPTS);
                    });
            for (DeliveryResult r : byId.values()) {
                List<CountingEndpoint.Attempt> tries =
                        attempts.getOrDefault(r.decisionId, List.of());
                if (r.delivered()) {
                    assertThat(tries)
                            .as("%s: delivered means the endpoint said 2xx", r.decisionId)
                            .anyMatch(CountingEndpoint.Attempt::succeeded);
                } else {
                    assertThat(failedOnlyAfterLastAttemptOrMaxAge(r, tries))
                            .as(
                                    "%s failed after %d attempts (%s) before its last attempt or"
                                            + " max age: %s",
                                    r.decisionId, tries.size(), r.error, tries)
                            .isTrue();
                }
            }
            assertLateSuccessesCount(byId, attempts);
            assertThat(byId.values().stream().filter(r -> r.decisionId.startsWith("dec-")))
                    .as("some flaky triggers fail every attempt: the last-attempt rule is tested")
                    .anyMatch(r -> !r.delivered());
        }
    }

    /**
     * An answer 2xx that reached the client before the next attempt was due (here the slow 200s,
     * which come after the client's timeout but before its backoff ends) delivers the trigger, and
     * no further attempt is made.
     */
    private static void assertLateSuccessesCount(
            Map<String, DeliveryResult> byId, Map<String, List<CountingEndpoint.Attempt>> all) {
        int late = 0;
        int races = 0;
        for (Map.Entry<String, List<CountingEndpoint.Attempt>> entry : all.entrySet()) {
            List<CountingEndpoint.Attempt> tries = entry.getValue();
            for (int k = 0; k < tries.size(); k++) {
                CountingEndpoint.Attempt a = tries.get(k);
                if (!a.succeeded()) {
                    continue;
                }
                CountingEndpoint.Attempt next = k + 1 < tries.size() ? tries.get(k + 1) : null;
                if (next != null && next.arrivedAt() <= a.answeredAt() + RACE_MARGIN_MILLIS) {
                    races++; // the next attempt may have been on its way when the 2xx came
                    continue;
                }
                assertThat(next)
                        .as(
                                "%s: no attempt after the endpoint's 2xx reached us: %s, %s",
                                entry.getKey(), tries, byId.get(entry.getKey()))
                        .isNull();
                assertThat(byId.get(entry.getKey()).delivered())
                        .as("%s: a 2xx, late or not, delivers", entry.getKey())
                        .isTrue();
                if (a.answeredAt() - a.arrivedAt() > CLIENT_TIMEOUT.toMillis()) {
                    late++;
                }
            }
        }
        System.out.printf("delivery-retries late_successes=%d too_close_to_call=%d%n", late, races);
        assertThat(late).as("late successes after a client timeout").isPositive();
    }

    /**
     * Failed with all its attempts made, or once its maximum age had passed, or because the
     * endpoint's last {@code Retry-After} pointed past that age.
     */
    private static boolean failedOnlyAfterLastAttemptOrMaxAge(
            DeliveryResult r, List<CountingEndpoint.Attempt> tries) {
        long deadline = r.decisionProcessedAt + MAX_AGE.toMillis();
        // The client's count too: an attempt it gave up on (timeout) may still be queued at the
        // endpoint, unrecorded, when the job ends.
        if (tries.size() == MAX_ATTEMPTS
                || r.attempts == MAX_ATTEMPTS
                || r.completedAt >= deadline) {
            return true;
        }
        if (tries.isEmpty()) {
            return false;
        }
        CountingEndpoint.Attempt last = tries.get(tries.size() - 1);
        return last.retryAfterMillis() >= 0
                && last.answeredAt() + last.retryAfterMillis() > deadline;
    }

    private static void report(
            Map<String, DeliveryResult> byId, Map<String, List<CountingEndpoint.Attempt>> all) {
        long delivered = byId.values().stream().filter(DeliveryResult::delivered).count();
        Map<Integer, Long> distribution =
                byId.keySet().stream()
                        .collect(
                                Collectors.groupingBy(
                                        id -> all.getOrDefault(id, List.of()).size(),
                                        TreeMap::new,
                                        Collectors.counting()));
        Map<Integer, Long> failedDistribution =
                byId.values().stream()
                        .filter(r -> !r.delivered())
                        .collect(
                                Collectors.groupingBy(
                                        r -> all.getOrDefault(r.decisionId, List.of()).size(),
                                        TreeMap::new,
                                        Collectors.counting()));
        System.out.printf(
                "delivery-retries triggers=%d delivered=%d failed=%d attempts=%s"
                        + " failed_by_attempts=%s%n",
                byId.size(), delivered, byId.size() - delivered, distribution, failedDistribution);
    }

    /**
     * Stamps the decision time as the decision stage would, when the job runs; aging triggers get
     * only a little of their maximum age left.
     */
    private static Decision decidedNow(Decision d) {
        long now = System.currentTimeMillis();
        d.processedAt =
                d.decisionId.startsWith("aging-")
                        ? now - MAX_AGE.toMillis() + AGE_LEFT_MILLIS
                        : now;
        return d;
    }

    private static DeliverySettings settings(CountingEndpoint server, Path secretFile) {
        DeliveryEndpoints endpoints =
                DeliveryEndpoints.parse(
                        "endpoints:\n"
                                + endpoint("flaky", server, secretFile)
                                + endpoint("broken", server, secretFile),
                        "test endpoints");
        return new DeliverySettings(
                endpoints, POLICY, 50, Duration.ofDays(7), Attribution.Mode.LAST);
    }

    private static String endpoint(String id, CountingEndpoint server, Path secretFile) {
        return "  "
                + id
                + ":\n    url: "
                + server.url("/" + id)
                + "\n    secret-file: "
                + secretFile
                + "\n    timeout: "
                + CLIENT_TIMEOUT.toMillis()
                + "ms\n";
    }

    private static Decision decision(String id, String endpoint) {
        Decision d = new Decision();
        d.decisionId = id;
        d.customerKey = "c:" + id;
        d.customerId = id;
        d.flowId = "abandoned_cart";
        d.outcome = "to_send";
        d.endpointId = endpoint;
        d.templateId = "tpl_abandoned_cart";
        d.triggerKind = "cart";
        d.triggerName = "abandoned";
        d.triggeringId = "cart-" + id;
        d.triggeredAt = 1_780_000_000_000L;
        d.decidedAt = 1_780_000_000_000L;
        return d;
    }
}
