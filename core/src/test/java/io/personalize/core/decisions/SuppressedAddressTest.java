package io.personalize.core.decisions;

import static io.personalize.core.decisions.Customer.at;
import static io.personalize.core.decisions.Customer.trigger;
import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SuppressedAddressTest {
    /** Quiet 21:00-08:00 UTC, no caps: a trigger at night is deferred to 08:00. */
    private static final PolicySettings QUIET = PolicySettings.DEFAULTS.withCaps(List.of());

    private static final long DAYTIME = at("2024-06-03T10:00:00Z");
    private static final long NIGHT = at("2024-06-03T23:00:00Z");

    private static void suppress(Customer customer, String reason) {
        customer.features.suppressed = "true";
        customer.features.suppressionReason = reason;
        customer.features.suppressedAt = DAYTIME - HOUR;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hard_bounce", "complaint", "soft_bounces", "suppression_list"})
    void aSuppressedAddressGetsNoEmailFromAnyFlowDespiteConsent(String reason) {
        Customer customer =
                new Customer(QUIET, TestFlow.abandonedCart(), TestFlow.browseAbandoned());
        suppress(customer, reason);

        List<Decision> decisions =
                customer.fire(
                        DAYTIME,
                        trigger("cart_abandoned", "c1", DAYTIME),
                        trigger("browse_abandoned", "b1", DAYTIME));

        assertThat(decisions)
                .extracting(d -> d.flowId, d -> d.outcome, d -> d.reasons)
                .containsExactlyInAnyOrder(
                        tuple(
                                "abandoned_cart",
                                "suppressed",
                                List.of("suppressed_address: " + reason)),
                        tuple(
                                "browse_abandoned",
                                "suppressed",
                                List.of("suppressed_address: " + reason)));
        assertThat(customer.state.sends).isEmpty();
    }

    @Test
    void theSuppressedAddressIsTheReasonEvenWithoutConsent() {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());
        suppress(customer, "complaint");
        customer.features.emailConsent = "false";

        assertThat(customer.fire("cart_abandoned", "c1", DAYTIME))
                .extracting(d -> d.reasons)
                .containsExactly(List.of("suppressed_address: complaint"));
    }

    @Test
    void anAddressNotSuppressedIsSent() {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());
        customer.features.suppressed = "false";

        assertThat(customer.fire("cart_abandoned", "c1", DAYTIME))
                .extracting(d -> d.outcome)
                .containsExactly("to_send");
    }

    @Test
    void aSuppressionCancelsEveryDeferredDecisionAtOnceOnNewFeatures() {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());
        Decision deferred = customer.fire("cart_abandoned", "c1", NIGHT).get(0);
        assertThat(deferred.outcome).isEqualTo("deferred");
        suppress(customer, "hard_bounce");

        List<Decision> cancelled =
                customer.engine.onFeatures(customer.state, customer.features, NIGHT + HOUR);

        assertThat(cancelled)
                .extracting(d -> d.decisionId, d -> d.outcome, d -> d.reasons)
                .containsExactly(
                        tuple(
                                deferred.decisionId,
                                "suppressed",
                                List.of("suppressed_address: hard_bounce")));
        assertThat(customer.nextWakeUp()).isEqualTo(Long.MAX_VALUE);
    }
}
