package io.personalize.job.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.conversions.Attribution;
import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryEndpoints;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.delivery.RetryPolicy;
import io.personalize.core.events.DeadLetter;
import io.personalize.job.config.DeliverySettings;
import io.personalize.job.testing.FailOnceAfterCheckpoint;
import io.personalize.job.testing.TestConfig;
import io.personalize.job.testing.ToQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery stage on a MiniCluster against a real local HTTP server that answers about 30 % of
 * requests with 5xx, 429 or too late, plus an endpoint that always fails, with a failure injected
 * into the job part-way (after a checkpoint, with requests in flight).
 */
class DeliveryITCase {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final int TRIGGERS = 300;
    private static final long T0 = 1_780_000_000_000L;
    private static final long TIMEOUT_MILLIS = 300;
    private static final int MAX_ATTEMPTS = 5;

    @AfterEach
    void dropQueues() {
        ToQueue.drop("delivery-results");
        ToQueue.drop("delivery-dead-letters");
    }

    @Test
    void everyTriggerEndsDeliveredOrDeadLetteredAndDuplicatesKeepTheirWebhookId(@TempDir Path tmp)
            throws Exception {
        Path secretFile = tmp.resolve("secret");
        Files.writeString(secretFile, SECRET);
        try (FlakyEndpoint server = new FlakyEndpoint(SECRET, 7, 1_000, TIMEOUT_MILLIS)) {
            DeliverySettings settings = settings(server, secretFile);
            List<Decision> decisions = new ArrayList<>();
            Set<String> toFlaky = new HashSet<>();
            Set<String> toBroken = new HashSet<>();
            Set<String> toUnknown = new HashSet<>();
            Set<String> notToSend = new HashSet<>();
            for (int i = 0; i < TRIGGERS; i++) {
                String endpoint = i % 5 == 0 ? "broken" : i % 50 == 1 ? "nowhere" : "flaky";
                Decision d = decision("dec-" + i, endpoint, "to_send");
                decisions.add(d);
                (endpoint.equals("flaky")
                                ? toFlaky
                                : endpoint.equals("broken") ? toBroken : toUnknown)
                        .add(d.decisionId);
                if (i % 6 == 0) {
                    Decision suppressed = decision("sup-" + i, "flaky", "suppressed");
                    decisions.add(suppressed);
                    notToSend.add(suppressed.decisionId);
                }
            }
            Queue<DeliveryResult> results = ToQueue.fresh("delivery-results");
            Queue<DeadLetter> deadLetters = ToQueue.fresh("delivery-dead-letters");

            StreamExecutionEnvironment env = environment();
            DataStream<Decision> input =
                    env.fromData(decisions, TypeInformation.of(Decision.class));
            DeliveryStage.Outputs outputs = DeliveryStage.build(input, settings);
            // Fails the job once results flow, after a checkpoint: requests are in flight then.
            outputs.results()
                    .map(new FailOnceAfterCheckpoint<DeliveryResult>("delivery", TRIGGERS / 5, 1))
                    .returns(DeliveryResult.class)
                    .name("Inject one failure")
                    .sinkTo(new ToQueue<>("delivery-results"));
            outputs.deadLetters().sinkTo(new ToQueue<>("delivery-dead-letters"));
            env.execute("delivery with a flaky endpoint");

            assertThat(FailOnceAfterCheckpoint.failed("delivery")).isTrue();
            assertThat(FailOnceAfterCheckpoint.checkpointsBeforeFailure("delivery")).isPositive();

            Set<String> delivered = ids(results, true);
            Set<String> failed = ids(results, false);
            Set<String> allToSend = new HashSet<>(toFlaky);
            allToSend.addAll(toBroken);
            allToSend.addAll(toUnknown);
            Set<String> ended = new HashSet<>(delivered);
            ended.addAll(failed);
            assertThat(ended).as("no decision is lost").isEqualTo(allToSend);
            assertThat(failed).containsAll(toBroken).containsAll(toUnknown);
            assertThat(delivered)
                    .as("most flaky ones get through")
                    .hasSizeGreaterThan(toFlaky.size() * 9 / 10);
            assertThat(deadLetters.stream().map(l -> l.eventId).collect(Collectors.toSet()))
                    .as("every failed trigger is a dead letter, with its decision id")
                    .isEqualTo(failed);
            assertThat(deadLetters)
                    .allSatisfy(
                            l -> {
                                assertThat(l.reason).isEqualTo("delivery_failed");
                                assertThat(l.stage).isEqualTo("delivery");
                            });
            for (DeliveryResult r : results) {
                if (toBroken.contains(r.decisionId)) {
                    // the last answer was a 500, or none in time on this busy 2-core machine
                    assertThat(r.error)
                            .matches("gave up after \\d attempts: (HTTP 500|timeout after 300 ms)");
                }
                if (toUnknown.contains(r.decisionId)) {
                    assertThat(r.error).isEqualTo("unknown endpoint nowhere");
                }
            }

            List<FlakyEndpoint.Received> received = server.received();
            assertThat(received).allSatisfy(r -> assertThat(r.signed()).isTrue());
            assertThat(received)
                    .as("a duplicate carries the same webhook-id, the decision id")
                    .allSatisfy(r -> assertThat(r.webhookId()).isEqualTo(r.bodyDecisionId()));
            Map<String, Long> requestsPerId =
                    received.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            FlakyEndpoint.Received::webhookId,
                                            Collectors.counting()));
            assertThat(requestsPerId.values()).as("retries happened").anyMatch(n -> n > 1);
            Set<String> acknowledged =
                    received.stream()
                            .filter(FlakyEndpoint.Received::acknowledged)
                            .map(FlakyEndpoint.Received::webhookId)
                            .collect(Collectors.toSet());
            assertThat(acknowledged)
                    .as("delivered means the endpoint said 2xx before the client's timeout")
                    .containsAll(delivered);
            assertThat(requestsPerId.keySet()).doesNotContainAnyElementsOf(notToSend);
            // Not exactly MAX_ATTEMPTS per trigger yet: a restore starts the count again (a trigger
            // in flight is tried up to twice the limit), and a bounded run ends while retries are
            // pending (a trigger may be given up after fewer attempts; issue 17). So this checks
            // only that retries were made, on average at least 3 per broken trigger.
            assertThat(received.stream().filter(r -> r.path().equals("/broken")).count())
                    .as("the broken endpoint was retried, on average at least 3 times a trigger")
                    .isGreaterThanOrEqualTo(toBroken.size() * 3L);
        }
    }

    private static Set<String> ids(Queue<DeliveryResult> results, boolean delivered) {
        return results.stream()
                .filter(r -> r.delivered() == delivered)
                .map(r -> r.decisionId)
                .collect(Collectors.toSet());
    }

    private static DeliverySettings settings(FlakyEndpoint server, Path secretFile) {
        DeliveryEndpoints endpoints =
                DeliveryEndpoints.parse(
                        "endpoints:\n"
                                + endpoint("flaky", server, secretFile)
                                + endpoint("broken", server, secretFile),
                        "test endpoints");
        return new DeliverySettings(
                endpoints,
                new RetryPolicy(
                        MAX_ATTEMPTS,
                        Duration.ofMillis(20),
                        Duration.ofMillis(200),
                        Duration.ofMinutes(2)),
                20,
                Duration.ofDays(7),
                Attribution.Mode.LAST);
    }

    private static String endpoint(String id, FlakyEndpoint server, Path secretFile) {
        return "  "
                + id
                + ":\n    url: "
                + server.url("/" + id)
                + "\n    secret-file: "
                + secretFile
                + "\n    timeout: "
                + TIMEOUT_MILLIS
                + "ms\n";
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf =
                TestConfig.of(
                        "personalize.checkpoint.interval=100 ms",
                        "personalize.restart.attempts=2",
                        "personalize.restart.delay=100 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private static Decision decision(String id, String endpoint, String outcome) {
        Decision d = new Decision();
        d.decisionId = id;
        d.customerKey = "c:" + id;
        d.customerId = id;
        d.flowId = "abandoned_cart";
        d.outcome = outcome;
        d.endpointId = endpoint;
        d.templateId = "tpl_abandoned_cart";
        d.triggerKind = "cart";
        d.triggerName = "abandoned";
        d.triggeringId = "cart-" + id;
        d.triggeredAt = T0;
        d.decidedAt = T0;
        d.processedAt = System.currentTimeMillis();
        return d;
    }
}
