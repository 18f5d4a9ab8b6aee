package io.personalize.core.decisions;

import static io.personalize.core.decisions.Customer.at;
import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.personalize.core.flows.Flow.Assignment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentTest {
    private static final long T0 = at("2024-06-03T10:00:00Z");
    private static final Assignment HOLDOUT = new Assignment("cart_subject", null, true);
    private static final Assignment VARIANT_B = new Assignment("cart_subject", "b", false);

    @Test
    void aHeldOutDecisionIsRecordedNotSentAndNotCountedAsASend() {
        Customer customer =
                new Customer(
                        PolicySettings.DEFAULTS.withoutQuietHours(),
                        TestFlow.abandonedCart().arm(HOLDOUT),
                        TestFlow.browseAbandoned());

        Decision heldOut = customer.fire("cart_abandoned", "c1", T0).get(0);

        assertThat(heldOut.outcome).isEqualTo("held_out");
        assertThat(heldOut.reasons).containsExactly("holdout: cart_subject");
        assertThat(heldOut.experimentId).isEqualTo("cart_subject");
        assertThat(heldOut.variant).isNull();
        assertThat(customer.state.sends).isEmpty();
        // the 1-per-16h cap is not used up: the next flow is sent at once
        assertThat(customer.fire("browse_abandoned", "b1", T0 + HOUR))
                .extracting(d -> d.outcome)
                .containsExactly("to_send");
    }

    @Test
    void aHeldOutCustomerHasEnteredTheFlowForCooldownAndReentry() {
        Customer customer =
                new Customer(
                        PolicySettings.DEFAULTS.withoutQuietHours(),
                        TestFlow.abandonedCart().arm(HOLDOUT).cooldown(Duration.ofDays(7)),
                        TestFlow.on("welcome", "signed_up").once().arm(HOLDOUT));
        customer.fire("cart_abandoned", "c1", T0);
        customer.fire("signed_up", "s1", T0);

        assertThat(customer.fire("cart_abandoned", "c2", T0 + DAY))
                .extracting(d -> d.outcome, d -> d.reasons)
                .containsExactly(tuple("suppressed", List.of("cooldown: 7d")));
        assertThat(customer.fire("signed_up", "s2", T0 + DAY))
                .extracting(d -> d.outcome, d -> d.reasons)
                .containsExactly(tuple("suppressed", List.of("reentry: once")));
    }

    @Test
    void aHeldOutHigherFlowLeavesTheMomentToTheNext() {
        Customer customer =
                new Customer(
                        PolicySettings.DEFAULTS.withoutQuietHours(),
                        TestFlow.on("high", "x").priority(2).arm(HOLDOUT),
                        TestFlow.on("low", "x").priority(1));

        assertThat(customer.fire("x", "x1", T0))
                .extracting(d -> d.flowId, d -> d.outcome)
                .containsExactly(tuple("high", "held_out"), tuple("low", "to_send"));
    }

    @Test
    void theVariantIsRecordedAndKeptWhileDeferred() {
        Customer customer =
                new Customer(
                        PolicySettings.DEFAULTS.withCaps(List.of()),
                        TestFlow.abandonedCart().arm(VARIANT_B));

        Decision deferred =
                customer.fire("cart_abandoned", "c1", at("2024-06-03T23:00:00Z")).get(0);
        Decision sent = customer.timer().get(0);

        assertThat(List.of(deferred, sent))
                .extracting(d -> d.outcome, d -> d.experimentId, d -> d.variant)
                .containsExactly(
                        tuple("deferred", "cart_subject", "b"),
                        tuple("to_send", "cart_subject", "b"));
    }
}
