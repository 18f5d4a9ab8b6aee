package io.personalize.job.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.Reasons;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.flows.CompiledFlows;
import io.personalize.core.flows.Flow;
import io.personalize.core.flows.FlowCompiler;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sinks.DiscardingSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.testing.TestConfig;
import io.personalize.job.testing.ToQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on generated data, decisions included: every decision's outcome and reasons are
 * checked by a plain computation against the features it read (found by customer and {@code
 * features_as_of} among every feature change the job emitted), its recorded scores, the flows and
 * the default policy (a suppressed address, consent, conditions, quiet hours 21:00-08:00 in the
 * customer's zone, at most 1 email per 16 h and 3 per 7 days).
 */
class DecisionsOnDemoDataITCase {
    private static final int EVENTS = 30_000;
    private static final long H16 = Duration.ofHours(16).toMillis();
    private static final long D7 = Duration.ofDays(7).toMillis();

    @TempDir static Path tmp;

    private static List<Decision> decisions;
    private static Map<String, List<Decision>> decisionsByCustomer;
    private static Map<String, CustomerFeatures> featuresByKeyAndAsOf;
    private static CompiledFlows flows;

    @BeforeAll
    static void runTheJob() throws Exception {
        Path input = tmp.resolve("events.jsonl");
        new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(5)).writeTo(input, EVENTS);
        Configuration conf =
                TestConfig.of(
                        "personalize.restart.attempts=0",
                        "personalize.checkpoint.interval=1 s",
                        "parallelism.default=2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        Queue<Decision> decided = ToQueue.fresh("demo-decisions");
        Queue<CustomerFeatures> features = ToQueue.fresh("demo-decision-features");
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, null)),
                new DiscardingSinks() {
                    @Override
                    public void customerFeatures(DataStream<CustomerFeatures> changes) {
                        changes.sinkTo(new ToQueue<>("demo-decision-features"));
                    }

                    @Override
                    public void decisions(DataStream<Decision> made) {
                        made.sinkTo(new ToQueue<>("demo-decisions"));
                    }
                },
                settings);
        env.execute("decisions on demo data");
        decisions = new ArrayList<>(decided);
        decisionsByCustomer = decisions.stream().collect(Collectors.groupingBy(d -> d.customerKey));
        ToQueue.drop("demo-decisions");
        featuresByKeyAndAsOf = new HashMap<>();
        for (CustomerFeatures f : features) {
            featuresByKeyAndAsOf.put(f.customerKey + "@" + f.asOf, f);
        }
        ToQueue.drop("demo-decision-features");
        flows =
                FlowCompiler.standard()
                        .withSegments(SegmentDefinitions.defaults())
                        .compile(FlowDefinitions.defaults());
    }

    @AfterAll
    static void forget() {
        // the test JVM runs the other ITCases after this one
        decisions = null;
        decisionsByCustomer = null;
        featuresByKeyAndAsOf = null;
    }

    @Test
    void everyOutcomeIsConsistentWithTheFeaturesConsentAndPolicyOfItsTime() {
        Map<String, Long> byOutcome =
                decisions.stream()
                        .collect(Collectors.groupingBy(d -> d.outcome, Collectors.counting()));
        assertThat(byOutcome).containsKeys("to_send", "suppressed", "deferred");
        assertThat(decisions.stream().map(d -> d.flowId).distinct())
                .contains("abandoned_cart", "cart_reminder", "browse_abandonment", "win_back");

        Map<String, List<Decision>> sentByCustomer =
                decisions.stream()
                        .filter(d -> d.outcome.equals("to_send"))
                        .collect(Collectors.groupingBy(d -> d.customerKey));
        int checked = 0;
        for (Decision d : decisions) {
            CustomerFeatures f = featuresByKeyAndAsOf.get(d.customerKey + "@" + d.featuresAsOf);
            assertThat(f).as("the features %s read", d).isNotNull();
            Flow flow = flows.flow(d.flowId).orElseThrow();
            List<String> failed = flow.failedConditions(f, scores(d));
            boolean consent = "true".equals(f.emailConsent) && "false".equals(f.suppressed);
            boolean quiet = quiet(d.decidedAt, f.timezone);
            String firstReason = d.reasons.isEmpty() ? "" : d.reasons.get(0);
            switch (d.outcome) {
                case "to_send" -> {
                    assertThat(consent).as("consent of %s", d).isTrue();
                    assertThat(failed).as("conditions of %s", d).isEmpty();
                    assertThat(quiet).as("quiet hours at %s", d).isFalse();
                    List<Decision> sent = sentByCustomer.get(d.customerKey);
                    assertThat(countWithin(sent, d.decidedAt, H16))
                            .as("16 h cap at %s", d)
                            .isEqualTo(1);
                    assertThat(countWithin(sent, d.decidedAt, D7))
                            .as("7 d cap at %s", d)
                            .isLessThanOrEqualTo(3);
                    assertThat(enteredBefore(d, flow))
                            .as("re-entry and cooldown of %s", d)
                            .isEmpty();
                }
                case "suppressed" -> checkSuppressed(d, flow, f, consent, failed);
                case "deferred" -> {
                    // held back now by quiet hours or a cap, to a moment outside quiet hours
                    List<Decision> sent = sentByCustomer.getOrDefault(d.customerKey, List.of());
                    boolean capped =
                            countWithin(sent, d.decidedAt, H16) >= 1
                                    || countWithin(sent, d.decidedAt, D7) >= 3;
                    assertThat(consent).as("%s", d).isTrue();
                    assertThat(quiet || capped)
                            .as(
                                    "%s; the customer's decisions: %s",
                                    d,
                                    decisions.stream()
                                            .filter(o -> o.customerKey.equals(d.customerKey))
                                            .map(o -> o + " " + Instant.ofEpochMilli(o.decidedAt))
                                            .toList())
                            .isTrue();
                    assertThat(d.deferredUntil).isGreaterThan(d.decidedAt);
                    assertThat(quiet(d.deferredUntil, f.timezone)).as("%s", d).isFalse();
                }
                case "held_out" -> assertThat(flow.assign(d.customerId).heldOut()).isTrue();
                case "expired" -> {
                    // re-checked when the deferral ended: still eligible, but too late
                    assertThat(consent).as("%s", d).isTrue();
                    assertThat(failed).as("%s", d).isEmpty();
                    assertThat(d.reasons).as("%s", d).last().asString().startsWith("expired: ");
                }
                default -> throw new AssertionError("an outcome this test does not know: " + d);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(1_000);
    }

    /**
     * A suppression's reasons, each checked against what it names: the features it read (consent,
     * conditions) and the customer's other decisions (entries of the flow, what was deferred, what
     * was sent at the same moment).
     */
    private void checkSuppressed(
            Decision d, Flow flow, CustomerFeatures f, boolean consent, List<String> failed) {
        String first = d.reasons.get(0);
        String code = Reasons.code(first);
        String detail = first.substring(Math.min(first.length(), code.length() + 2));
        if (code.equals(Reasons.SUPPRESSED_ADDRESS)) {
            assertThat(f.suppressed).as("%s", d).isEqualTo("true");
            assertThat(detail).as("%s", d).isEqualTo(f.suppressionReason);
            return;
        }
        assertThat(f.suppressed).as("suppression of %s", d).isEqualTo("false");
        if (code.equals(Reasons.NO_CONSENT)) {
            assertThat(consent).as("%s", d).isFalse();
            return;
        }
        assertThat(consent).as("consent of %s", d).isTrue();
        if (code.equals(Reasons.CONDITION_FAILED)) {
            assertThat(d.reasons)
                    .as("%s", d)
                    .containsExactlyElementsOf(
                            failed.stream().map(c -> Reasons.CONDITION_FAILED + ": " + c).toList());
            return;
        }
        assertThat(failed).as("conditions of %s", d).isEmpty();
        assertThat(d.reasons).as("%s", d).hasSize(1);
        switch (code) {
            case Reasons.REENTRY -> {
                assertThat(flow.reentry()).as("%s", d).isEqualTo(Flow.Reentry.ONCE);
                assertThat(enteredBefore(d, flow)).as("an earlier entry for %s", d).isNotEmpty();
            }
            case Reasons.COOLDOWN -> {
                assertThat(detail).isEqualTo(Reasons.duration(flow.cooldown()));
                assertThat(enteredBefore(d, flow))
                        .as("an entry in the cooldown of %s", d)
                        .isNotEmpty();
            }
            case Reasons.ALREADY_DEFERRED ->
                    assertThat(decisionsOf(d.customerKey))
                            .as("%s pending at %s", detail, d)
                            .anySatisfy(
                                    o -> {
                                        assertThat(o.decisionId).isEqualTo(detail);
                                        assertThat(o.flowId).isEqualTo(d.flowId);
                                        assertThat(o.outcome).isEqualTo("deferred");
                                        assertThat(o.decidedAt).isLessThanOrEqualTo(d.decidedAt);
                                        assertThat(o.deferredUntil)
                                                .isGreaterThanOrEqualTo(d.decidedAt);
                                    });
            case Reasons.LOWER_PRIORITY, Reasons.ALREADY_SENT -> {
                assertThat(decisionsOf(d.customerKey))
                        .as("%s sent at the moment of %s", detail, d)
                        .anySatisfy(
                                o -> {
                                    assertThat(o.flowId).isEqualTo(detail);
                                    assertThat(o.outcome).isEqualTo("to_send");
                                    assertThat(o.decidedAt).isEqualTo(d.decidedAt);
                                });
                if (code.equals(Reasons.LOWER_PRIORITY)) {
                    assertThat(flows.flow(detail).orElseThrow().priority())
                            .as("%s", d)
                            .isGreaterThanOrEqualTo(flow.priority());
                }
            }
            default -> throw new AssertionError("a reason this test does not know: " + d);
        }
    }

    /**
     * Entries of the decision's flow by the same customer (sent or held out) that forbid it now:
     * any for a once-only flow, else those within the cooldown.
     */
    private static List<Decision> enteredBefore(Decision d, Flow flow) {
        long cooldown = flow.cooldown() == null ? 0 : flow.cooldown().toMillis();
        return decisionsOf(d.customerKey).stream()
                .filter(o -> o.flowId.equals(d.flowId) && !o.decisionId.equals(d.decisionId))
                .filter(o -> o.outcome.equals("to_send") || o.outcome.equals("held_out"))
                .filter(o -> o.decidedAt <= d.decidedAt)
                .filter(
                        o ->
                                flow.reentry() == Flow.Reentry.ONCE
                                        || d.decidedAt - o.decidedAt < cooldown)
                .toList();
    }

    private static List<Decision> decisionsOf(String customerKey) {
        return decisionsByCustomer.getOrDefault(customerKey, List.of());
    }

    @Test
    void noTriggerYieldsTwoFinalDecisions() {
        Map<String, Long> finals =
                decisions.stream()
                        .filter(d -> !d.outcome.equals("deferred"))
                        .collect(Collectors.groupingBy(d -> d.decisionId, Collectors.counting()));
        assertThat(finals.values()).allMatch(n -> n == 1);
    }

    private static Map<String, CustomerScore> scores(Decision d) {
        Map<String, CustomerScore> out = new HashMap<>();
        d.scores.forEach(
                (model, value) -> {
                    CustomerScore s = new CustomerScore();
                    s.model = model;
                    s.score = value;
                    out.put(model, s);
                });
        return out;
    }

    /** In the default quiet hours, 21:00-08:00 in the customer's zone (UTC when unknown). */
    private static boolean quiet(long at, String timezone) {
        ZoneId zone;
        try {
            zone = timezone == null ? ZoneId.of("UTC") : ZoneId.of(timezone);
        } catch (RuntimeException e) {
            zone = ZoneId.of("UTC");
        }
        LocalTime local = Instant.ofEpochMilli(at).atZone(zone).toLocalTime();
        return !local.isBefore(LocalTime.of(21, 0)) || local.isBefore(LocalTime.of(8, 0));
    }

    /** Sends of the customer in {@code (at - window, at]}. */
    private static long countWithin(List<Decision> sent, long at, long window) {
        return sent.stream().filter(s -> s.decidedAt <= at && s.decidedAt > at - window).count();
    }
}
