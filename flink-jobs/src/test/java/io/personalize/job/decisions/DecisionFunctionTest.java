package io.personalize.job.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.DecisionEngine;
import io.personalize.core.decisions.PolicySettings;
import io.personalize.core.decisions.Trigger;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.Descriptors;
import io.personalize.job.segments.SegmentRulesUpdate;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The decision function in Flink's operator harness: keyed state, timers, snapshot and restore. */
class DecisionFunctionTest {
    /** 22:00 UTC: inside the default quiet hours (21:00-08:00, UTC for a customer without zone). */
    private static final long EVENING = Instant.parse("2025-03-03T22:00:00Z").toEpochMilli();

    private static final long MORNING = Instant.parse("2025-03-04T08:00:00Z").toEpochMilli();

    private static KeyedBroadcastOperatorTestHarness<
                    String, DecisionInput, SegmentRulesUpdate, Decision>
            harness() throws Exception {
        DecisionFunction function =
                new DecisionFunction(
                        FlowDefinitions.defaults(),
                        SegmentDefinitions.defaults(),
                        new DecisionEngine(PolicySettings.DEFAULTS));
        var h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                function, List.of(DecisionFunction.FLOWS)),
                        (DecisionInput in) -> in.customerKey,
                        Types.STRING,
                        1,
                        1,
                        0);
        return h;
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
            h.processBroadcastWatermark(Long.MAX_VALUE);
            h.processElement(new StreamRecord<>(DecisionInput.of(customer(EVENING, 2)), EVENING));
            h.processElement(new StreamRecord<>(DecisionInput.of(abandoned(EVENING)), EVENING));
            assertThat(h.extractOutputValues()).as("waits for the watermark").isEmpty();
            h.processWatermark(EVENING);

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
            h.processBroadcastWatermark(Long.MAX_VALUE);
            // the same trigger delivered again (a replay after the restart): nothing new
            h.processElement(new StreamRecord<>(DecisionInput.of(abandoned(EVENING)), EVENING));
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(MORNING - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(MORNING);

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
            h.processBroadcastWatermark(Long.MAX_VALUE);
            h.processElement(new StreamRecord<>(DecisionInput.of(customer(EVENING, 2)), EVENING));
            Trigger reminder =
                    Trigger.of(
                            "c:1",
                            "1",
                            Trigger.PATTERN,
                            Triggers.CART_REMINDER_DUE,
                            "cart-7/due",
                            EVENING);
            h.processElement(new StreamRecord<>(DecisionInput.of(reminder), EVENING));
            h.processWatermark(EVENING);
            assertThat(h.extractOutputValues())
                    .extracting(d -> d.outcome)
                    .containsExactly("deferred");

            // bought at 23:00: the cart is empty when the reminder is due
            long bought = EVENING + 3_600_000;
            h.processElement(new StreamRecord<>(DecisionInput.of(customer(bought, 0)), bought));
            h.processWatermark(MORNING);

            assertThat(h.extractOutputValues())
                    .extracting(d -> d.outcome + " " + d.reasons)
                    .containsExactly(
                            "deferred [quiet_hours: 21:00-08:00 UTC]",
                            "suppressed [condition_failed: cart_items > 0]");
        }
    }

    @Test
    void aBrokenFlowFileIsRefusedAsADeadLetterAndAHigherVersionIsApplied() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processBroadcastWatermark(Long.MAX_VALUE);
            String broken =
                    FlowDefinitions.defaultsText()
                            .replace("version: 1", "version: 2")
                            .replace("cart_items > 0", "cart_itemz > 0");
            h.processBroadcastElement(
                    new StreamRecord<>(SegmentRulesUpdate.of("flows.yaml", broken, 1)));
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
            h.processBroadcastElement(
                    new StreamRecord<>(SegmentRulesUpdate.of("flows.yaml", moved, 2)));
            long noon = MORNING + 4 * 3_600_000;
            Trigger browsed =
                    Trigger.of("c:1", "1", Trigger.PATTERN, Triggers.BROWSE_ABANDONED, "b-1", noon);
            h.processElement(new StreamRecord<>(DecisionInput.of(customer(noon, 2)), noon));
            h.processElement(new StreamRecord<>(DecisionInput.of(abandoned(noon)), noon));
            h.processElement(new StreamRecord<>(DecisionInput.of(browsed), noon));
            h.processWatermark(noon);

            assertThat(h.extractOutputValues())
                    .extracting(d -> d.flowId + " " + d.triggerName + " " + d.flowsVersion)
                    .containsExactlyInAnyOrder(
                            "abandoned_cart browse_abandoned 2",
                            "browse_abandonment browse_abandoned 2");
        }
    }
}
