package io.personalize.job.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.DecisionEngine;
import io.personalize.core.decisions.PolicySettings;
import io.personalize.core.decisions.Trigger;
import io.personalize.core.decisions.Triggers;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.Descriptors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision operator in Flink's operator harness: keyed state, timers, snapshot and restore. */
class DecisionOperatorTest {
    /** 22:00 UTC: inside the default quiet hours (21:00-08:00, UTC for a customer without zone). */
    private static final long EVENING = Instant.parse("2025-03-03T22:00:00Z").toEpochMilli();

    private static final long MORNING = Instant.parse("2025-03-04T08:00:00Z").toEpochMilli();

    private static final Duration WAIT = Duration.ofMinutes(5);

    @TempDir Path dir;

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, DecisionInput, DecisionInput, Decision>
            harness(Path flows) throws Exception {
        DecisionOperator operator =
                new DecisionOperator(
                        FlowDefinitions.defaults(),
                        SegmentDefinitions.defaults(),
                        new DecisionEngine(PolicySettings.DEFAULTS),
                        WAIT,
                        flows == null ? null : flows.toString(),
                        Duration.ofSeconds(1));
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                operator,
                (DecisionInput in) -> in.customerKey,
                (DecisionInput in) -> in.customerKey,
                Types.STRING);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, DecisionInput, DecisionInput, Decision>
            harness() throws Exception {
        return harness(null);
    }

    private static void moment(
            KeyedTwoInputStreamOperatorTestHarness<String, DecisionInput, DecisionInput, Decision>
                    h,
            CustomerFeatures f)
            throws Exception {
        h.processElement1(new StreamRecord<>(DecisionInput.of(f, Map.of()), f.asOf));
    }

    private static void pattern(
            KeyedTwoInputStreamOperatorTestHarness<String, DecisionInput, DecisionInput, Decision>
                    h,
            Trigger t)
            throws Exception {
        h.processElement2(new StreamRecord<>(DecisionInput.of(t), t.at));
    }

    private static void watermark(
            KeyedTwoInputStreamOperatorTestHarness<String, DecisionInput, DecisionInput, Decision>
                    h,
            long at)
            throws Exception {
        h.processWatermark1(new Watermark(at));
        h.processWatermark2(new Watermark(at));
    }

    private static CustomerFeatures customer(long asOf, long cartItems) {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = "c:1";
        f.customerId = "1";
        f.asOf = asOf;
        f.emailConsent = "true";
        f.cartItems = cartItems;
        f.cartValue = 40.0 * cartItems;
        return f;
    }

    private static Trigger abandoned(long at) {
        return Trigger.of(
                "c:1", "1", Trigger.PATTERN, Triggers.CART_ABANDONED, "cart-7/abandoned", at);
    }

    @Test
    void aDeferredDecisionPendingInASnapshotStillFiresAfterRestoreAndItsTriggerIsNotDecidedAgain()
            throws Exception {
        OperatorSubtaskState snapshot;
        String decisionId;
        try (var h = harness()) {
            h.open();
            moment(h, customer(EVENING, 2));
            pattern(h, abandoned(EVENING));
            assertThat(h.extractOutputValues()).as("waits for the watermark").isEmpty();
            watermark(h, EVENING + WAIT.toMillis());

            Decision deferred = h.extractOutputValues().get(0);
            assertThat(deferred.flowId).isEqualTo("abandoned_cart");
            assertThat(deferred.outcome).isEqualTo("deferred");
            assertThat(deferred.reasons).anyMatch(r -> r.startsWith("quiet_hours"));
            assertThat(deferred.deferredUntil).isEqualTo(MORNING);
            decisionId = deferred.decisionId;
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            // the same trigger delivered again (a replay after the restart): nothing new
            pattern(h, abandoned(EVENING));
            watermark(h, MORNING - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            watermark(h, MORNING);

            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.decisionId).isEqualTo(decisionId);
                                assertThat(d.outcome).isEqualTo("to_send");
                                assertThat(d.decidedAt).isEqualTo(MORNING);
                                assertThat(d.templateId).isEqualTo("tpl_abandoned_cart");
                            });
        }
    }

    @Test
    void aPurchaseBeforeTheDeferredReminderFiresCancelsIt() throws Exception {
        try (var h = harness()) {
            h.open();
            moment(h, customer(EVENING, 2));
            Trigger reminder =
                    Trigger.of(
                            "c:1",
                            "1",
                            Trigger.PATTERN,
                            Triggers.CART_REMINDER_DUE,
                            "cart-7/due",
                            EVENING);
            pattern(h, reminder);
            watermark(h, EVENING + WAIT.toMillis());
            assertThat(h.extractOutputValues())
                    .extracting(d -> d.outcome)
                    .containsExactly("deferred");

            // bought at 23:00: the cart is empty when the reminder is due
            long bought = EVENING + 3_600_000;
            moment(h, customer(bought, 0));
            watermark(h, MORNING);

            assertThat(h.extractOutputValues())
                    .extracting(d -> d.outcome + " " + d.reasons)
                    .containsExactly(
                            "deferred [quiet_hours: 21:00-08:00 UTC]",
                            "suppressed [condition_failed: cart_items > 0]");
        }
    }

    @Test
    void aMomentIsDecidedOnArrivalWhileATriggerWaitsOnlyForItsOwnLateness() throws Exception {
        long noon = MORNING + 4 * 3_600_000;
        try (var h = harness()) {
            h.open();
            // a live stream: the watermark trails the newest event by the out-of-orderness
            watermark(h, noon - WAIT.toMillis());
            CustomerFeatures loyal = customer(noon, 0);
            loyal.orders30d = 3;
            loyal.engagementScore = 0.9;
            moment(h, loyal);
            assertThat(h.extractOutputValues())
                    .as("decided on arrival, no watermark needed")
                    .extracting(d -> d.flowId + " " + d.outcome)
                    .containsExactly("loyalty_appreciation to_send");

            Trigger browsed =
                    Trigger.of("c:1", "1", Trigger.PATTERN, Triggers.BROWSE_ABANDONED, "b-1", noon);
            pattern(h, browsed);
            assertThat(h.extractOutputValues()).hasSize(1);
            watermark(h, noon + WAIT.toMillis());
            assertThat(h.extractOutputValues())
                    .extracting(d -> d.flowId + " " + d.outcome + " " + d.decidedAt)
                    .containsExactly(
                            "loyalty_appreciation to_send " + noon,
                            "browse_abandonment suppressed " + noon); // one email a day
        }
    }

    @Test
    void aBrokenFlowFileIsRefusedAsADeadLetterAndAHigherVersionIsApplied() throws Exception {
        Path flows = dir.resolve("flows.yaml");
        try (var h = harness(flows)) {
            h.setProcessingTime(0);
            h.open();
            String broken =
                    FlowDefinitions.defaultsText()
                            .replace("version: 1", "version: 2")
                            .replace("cart_items > 0", "cart_itemz > 0");
            Files.writeString(flows, broken);
            h.setProcessingTime(1_000);
            assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS))
                    .singleElement()
                    .satisfies(
                            r -> {
                                DeadLetter d = (DeadLetter) r.getValue();
                                assertThat(d.reason).isEqualTo("invalid_flows");
                                assertThat(d.stage).isEqualTo("decisions");
                                assertThat(d.message).contains("cart_itemz");
                            });

            // version 2 starts the abandoned-cart flow on browse abandonment instead
            String moved =
                    FlowDefinitions.defaultsText()
                            .replace("version: 1", "version: 2")
                            .replace("{pattern: cart_abandoned}", "{pattern: browse_abandoned}");
            Files.writeString(flows, moved);
            h.setProcessingTime(2_000);
            assertThat(h.getSideOutput(Descriptors.DEAD_LETTERS)).hasSize(1);
            h.setProcessingTime(3_000); // a change is taken once two polls read it alike
            long noon = MORNING + 4 * 3_600_000;
            Trigger browsed =
                    Trigger.of("c:1", "1", Trigger.PATTERN, Triggers.BROWSE_ABANDONED, "b-1", noon);
            moment(h, customer(noon, 2));
            pattern(h, abandoned(noon));
            pattern(h, browsed);
            watermark(h, noon + WAIT.toMillis());

            assertThat(h.extractOutputValues())
                    .extracting(d -> d.flowId + " " + d.triggerName + " " + d.flowsVersion)
                    .containsExactlyInAnyOrder(
                            "abandoned_cart browse_abandoned 2",
                            "browse_abandonment browse_abandoned 2");
        }
    }
}
