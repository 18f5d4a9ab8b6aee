package io.personalize.core.decisions;

import static io.personalize.core.decisions.Customer.at;
import static io.personalize.core.decisions.Customer.trigger;
import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsentAndRecheckTest {
    /** Quiet 21:00-08:00 UTC, no caps: a trigger at night is deferred to 08:00. */
    private static final PolicySettings QUIET = PolicySettings.DEFAULTS.withCaps(List.of());

    private static final long NIGHT = at("2024-06-03T23:00:00Z");
    private static final long MORNING = at("2024-06-04T08:00:00Z");

    @ParameterizedTest(name = "email_consent {0}")
    @CsvSource(
            value = {
                "false, no_consent: false",
                "unknown, no_consent: unknown",
                "NULL, no_consent: unknown"
            },
            nullValues = "NULL")
    void withoutConsentNothingIsSent(String consent, String reason) {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());
        customer.features.emailConsent = consent;

        assertThat(customer.fire("cart_abandoned", "c1", at("2024-06-03T10:00:00Z")))
                .extracting(d -> d.outcome, d -> d.reasons)
                .containsExactly(tuple("suppressed", List.of(reason)));
        assertThat(customer.state.sends).isEmpty();
    }

    @Test
    void withoutFeaturesThereIsNoConsent() {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());

        List<Decision> decisions =
                customer.engine.onTriggers(
                        customer.state,
                        List.of(trigger("cart_abandoned", "c1", NIGHT)),
                        customer.flows,
                        1,
                        null,
                        null,
                        NIGHT);

        assertThat(decisions)
                .extracting(d -> d.outcome, d -> d.reasons)
                .containsExactly(tuple("suppressed", List.of("no_consent: unknown")));
    }

    @Test
    void aFailedConditionSuppressesWithItsText() {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());
        customer.features.cartItems = 0;

        assertThat(customer.fire("cart_abandoned", "c1", at("2024-06-03T10:00:00Z")))
                .extracting(d -> d.outcome, d -> d.reasons)
                .containsExactly(tuple("suppressed", List.of("condition_failed: cart_items > 0")));
    }

    @Test
    void aWithdrawnConsentCancelsADeferredDecisionWhenItsTimerFires() {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());
        Decision deferred = customer.fire("cart_abandoned", "c1", NIGHT).get(0);
        assertThat(deferred.outcome).isEqualTo("deferred");
        customer.features.emailConsent = "false"; // unsubscribed at 02:00

        List<Decision> atTimer = customer.timerAt(MORNING);

        assertThat(atTimer)
                .extracting(d -> d.decisionId, d -> d.outcome, d -> d.reasons, d -> d.decidedAt)
                .containsExactly(
                        tuple(
                                deferred.decisionId,
                                "suppressed",
                                List.of("no_consent: false"),
                                MORNING));
        assertThat(customer.state.sends).isEmpty();
        assertThat(customer.nextWakeUp()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aWithdrawnConsentCancelsEveryDeferredDecisionAtOnceOnNewFeatures() {
        Customer customer =
                new Customer(QUIET, TestFlow.abandonedCart(), TestFlow.browseAbandoned());
        customer.fire(
                NIGHT,
                trigger("cart_abandoned", "c1", NIGHT),
                trigger("browse_abandoned", "b1", NIGHT));
        customer.features.emailConsent = "false";

        List<Decision> cancelled =
                customer.engine.onFeatures(customer.state, customer.features, NIGHT + HOUR);

        assertThat(cancelled)
                .extracting(d -> d.flowId, d -> d.outcome, d -> d.reasons, d -> d.decidedAt)
                .containsExactlyInAnyOrder(
                        tuple(
                                "abandoned_cart",
                                "suppressed",
                                List.of("no_consent: false"),
                                NIGHT + HOUR),
                        tuple(
                                "browse_abandoned",
                                "suppressed",
                                List.of("no_consent: false"),
                                NIGHT + HOUR));
        assertThat(cancelled).allSatisfy(d -> assertThat(d.deferredUntil).isNull());
        assertThat(customer.nextWakeUp()).isEqualTo(Long.MAX_VALUE);
        assertThat(customer.timerAt(MORNING)).isEmpty();
    }

    @Test
    void aWithdrawnConsentCancelsDeferredDecisionsOnTheNextTrigger() {
        Customer customer =
                new Customer(QUIET, TestFlow.abandonedCart(), TestFlow.browseAbandoned());
        customer.fire("cart_abandoned", "c1", NIGHT);
        customer.features.emailConsent = "false";

        assertThat(customer.fire("browse_abandoned", "b1", NIGHT + HOUR))
                .extracting(d -> d.flowId, d -> d.outcome)
                .containsExactly(
                        tuple("abandoned_cart", "suppressed"),
                        tuple("browse_abandoned", "suppressed"));
        assertThat(customer.state.pending).isEmpty();
    }

    @Test
    void consentStillGivenLeavesDeferredDecisionsAlone() {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());
        customer.fire("cart_abandoned", "c1", NIGHT);

        assertThat(customer.engine.onFeatures(customer.state, customer.features, NIGHT + HOUR))
                .isEmpty();
        assertThat(customer.nextWakeUp()).isEqualTo(MORNING);
    }

    @Test
    void aPurchaseCancelsADeferredCartReminderWhenItsTimerFires() {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());
        Decision deferred = customer.fire("cart_abandoned", "c1", NIGHT).get(0);
        customer.features.cartItems = 0; // bought the cart at 01:00
        customer.features.lastPurchaseAt = NIGHT + 2 * HOUR;

        assertThat(customer.timer())
                .extracting(d -> d.decisionId, d -> d.outcome, d -> d.reasons)
                .containsExactly(
                        tuple(
                                deferred.decisionId,
                                "suppressed",
                                List.of("condition_failed: cart_items > 0")));
        assertThat(customer.state.sends).isEmpty();
    }

    @Test
    void whenAPurchaseCancelsTheWinnerTheNextDeferredFlowIsSent() {
        Customer customer =
                new Customer(QUIET, TestFlow.abandonedCart(), TestFlow.browseAbandoned());
        customer.fire(
                NIGHT,
                trigger("cart_abandoned", "c1", NIGHT),
                trigger("browse_abandoned", "b1", NIGHT));
        customer.features.cartItems = 0;

        assertThat(customer.timer())
                .extracting(d -> d.flowId, d -> d.outcome)
                .containsExactly(
                        tuple("abandoned_cart", "suppressed"),
                        tuple("browse_abandoned", "to_send"));
    }

    @Test
    void aFlowRemovedWhileADecisionIsDeferredSuppressesIt() {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());
        Decision deferred = customer.fire("cart_abandoned", "c1", NIGHT).get(0);
        customer.flows.clear();
        customer.flowsVersion = 2;

        assertThat(customer.timer())
                .extracting(d -> d.decisionId, d -> d.outcome, d -> d.reasons, d -> d.flowsVersion)
                .containsExactly(
                        tuple(deferred.decisionId, "suppressed", List.of("flow_removed"), 2L));
    }

    @Test
    void aDeferredDecisionIsSentWithTheFeaturesOfItsSendTime() {
        Customer customer =
                new Customer(QUIET, TestFlow.abandonedCart().reads("cart_items", "cart_value"));
        customer.fire("cart_abandoned", "c1", NIGHT);
        customer.features.cartItems = 3;
        customer.features.cartValue = 80.0;

        Decision sent = customer.timer().get(0);

        assertThat(sent.outcome).isEqualTo("to_send");
        assertThat(sent.features)
                .containsEntry("cart_items", "3")
                .containsEntry("cart_value", "80.0");
        assertThat(sent.variables)
                .containsEntry("cart_items", "3")
                .containsEntry("cart_value", "80.00");
    }
}
