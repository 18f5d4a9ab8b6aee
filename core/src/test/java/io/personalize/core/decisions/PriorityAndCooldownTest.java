package io.personalize.core.decisions;

import static io.personalize.core.decisions.Customer.at;
import static io.personalize.core.decisions.Customer.trigger;
import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriorityAndCooldownTest {
    private static final long T0 = at("2024-06-03T10:00:00Z");

    /** Neither caps nor quiet hours: only priorities, cooldowns and re-entry decide. */
    private static final PolicySettings OPEN =
            PolicySettings.DEFAULTS.withCaps(List.of()).withoutQuietHours();

    @Test
    void theHigherPriorityFlowIsSentAndTheLowerSuppressedAtTheSameInstant() {
        Customer customer =
                new Customer(OPEN, TestFlow.browseAbandoned(), TestFlow.abandonedCart());

        List<Decision> decisions =
                customer.fire(
                        T0,
                        trigger("browse_abandoned", "b1", T0 - HOUR),
                        trigger("cart_abandoned", "c1", T0));

        assertThat(decisions)
                .extracting(d -> d.flowId, d -> d.outcome, d -> d.reasons)
                .containsExactly(
                        tuple("abandoned_cart", "to_send", List.of()),
                        tuple(
                                "browse_abandoned",
                                "suppressed",
                                List.of("lower_priority: abandoned_cart")));
        assertThat(customer.state.sends)
                .extracting(s -> s.flowId)
                .containsExactly("abandoned_cart");
    }

    @Test
    void oneTriggerStartingTwoFlowsSendsOnlyTheHigher() {
        Customer customer =
                new Customer(
                        OPEN,
                        TestFlow.on("low", "cart_abandoned").priority(1),
                        TestFlow.on("high", "cart_abandoned").priority(2));

        assertThat(customer.fire("cart_abandoned", "c1", T0))
                .extracting(d -> d.flowId, d -> d.outcome)
                .containsExactly(tuple("high", "to_send"), tuple("low", "suppressed"));
    }

    @Test
    void equalPrioritiesAreOrderedByFlowId() {
        Customer customer =
                new Customer(
                        OPEN,
                        TestFlow.on("zebra", "x").priority(3),
                        TestFlow.on("apple", "x").priority(3));

        assertThat(customer.fire("x", "x1", T0))
                .extracting(d -> d.flowId, d -> d.outcome, d -> d.reasons)
                .containsExactly(
                        tuple("apple", "to_send", List.of()),
                        tuple("zebra", "suppressed", List.of("lower_priority: apple")));
    }

    @Test
    void aSuppressedHigherFlowLeavesTheMomentToTheNext() {
        Customer customer =
                new Customer(OPEN, TestFlow.browseAbandoned(), TestFlow.abandonedCart());
        customer.features.cartItems = 0;

        assertThat(
                        customer.fire(
                                T0,
                                trigger("browse_abandoned", "b1", T0),
                                trigger("cart_abandoned", "c1", T0)))
                .extracting(d -> d.flowId, d -> d.outcome, d -> d.reasons)
                .containsExactly(
                        tuple(
                                "abandoned_cart",
                                "suppressed",
                                List.of("condition_failed: cart_items > 0")),
                        tuple("browse_abandoned", "to_send", List.of()));
    }

    @Test
    void aSecondCallAtTheSameInstantSendsNoSecondEmail() {
        Customer customer =
                new Customer(OPEN, TestFlow.browseAbandoned(), TestFlow.abandonedCart());
        customer.fire("browse_abandoned", "b1", T0);

        assertThat(customer.fire("cart_abandoned", "c1", T0))
                .extracting(d -> d.outcome, d -> d.reasons)
                .containsExactly(tuple("suppressed", List.of("already_sent: browse_abandoned")));
        assertThat(customer.fire("cart_abandoned", "c2", T0 + 1))
                .extracting(d -> d.outcome)
                .containsExactly("to_send");
    }

    @Test
    void aCooldownSuppressesAnotherSendOfTheFlowUntilItHasPassed() {
        Customer customer =
                new Customer(OPEN, TestFlow.abandonedCart().cooldown(Duration.ofDays(7)));
        customer.fire("cart_abandoned", "c1", T0);

        assertThat(customer.fire("cart_abandoned", "c2", T0 + DAY))
                .extracting(d -> d.outcome, d -> d.reasons)
                .containsExactly(tuple("suppressed", List.of("cooldown: 7d")));
        assertThat(customer.fire("cart_abandoned", "c3", T0 + 7 * DAY - 1))
                .extracting(d -> d.outcome)
                .containsExactly("suppressed");
        assertThat(customer.fire("cart_abandoned", "c4", T0 + 7 * DAY))
                .extracting(d -> d.outcome)
                .containsExactly("to_send");
    }

    @Test
    void aCooldownIsPerFlow() {
        Customer customer =
                new Customer(
                        OPEN,
                        TestFlow.abandonedCart().cooldown(Duration.ofDays(7)),
                        TestFlow.browseAbandoned().cooldown(Duration.ofDays(7)));
        customer.fire("cart_abandoned", "c1", T0);

        assertThat(customer.fire("browse_abandoned", "b1", T0 + HOUR))
                .extracting(d -> d.outcome)
                .containsExactly("to_send");
    }

    @Test
    void aOnceOnlyFlowIsNeverEnteredAgain() {
        Customer customer = new Customer(OPEN, TestFlow.on("welcome", "signed_up").once());
        customer.fire("signed_up", "s1", T0);

        assertThat(customer.fire("signed_up", "s2", T0 + 300 * DAY))
                .extracting(d -> d.outcome, d -> d.reasons)
                .containsExactly(tuple("suppressed", List.of("reentry: once")));
    }

    @Test
    void aFlowWithADeferredDecisionTakesNoSecondOne() {
        Customer customer =
                new Customer(
                        PolicySettings.DEFAULTS.withCaps(List.of()), TestFlow.browseAbandoned());
        Decision deferred =
                customer.fire("browse_abandoned", "b1", at("2024-06-03T22:00:00Z")).get(0);

        assertThat(customer.fire("browse_abandoned", "b2", at("2024-06-03T23:00:00Z")))
                .extracting(d -> d.outcome, d -> d.reasons)
                .containsExactly(
                        tuple("suppressed", List.of("already_deferred: " + deferred.decisionId)));
        assertThat(customer.state.pending).hasSize(1);
    }

    @Test
    void flowsDeferredTogetherCompeteAgainWhenDue() {
        Customer customer =
                new Customer(
                        PolicySettings.DEFAULTS.withCaps(List.of()),
                        TestFlow.browseAbandoned(),
                        TestFlow.abandonedCart());
        long night = at("2024-06-03T23:00:00Z");
        assertThat(
                        customer.fire(
                                night,
                                trigger("browse_abandoned", "b1", night),
                                trigger("cart_abandoned", "c1", night)))
                .extracting(d -> d.outcome)
                .containsExactly("deferred", "deferred");

        assertThat(customer.timer())
                .extracting(d -> d.flowId, d -> d.outcome, d -> d.decidedAt)
                .containsExactly(
                        tuple("abandoned_cart", "to_send", at("2024-06-04T08:00:00Z")),
                        tuple("browse_abandoned", "suppressed", at("2024-06-04T08:00:00Z")));
    }

    @Test
    void aDueDeferredDecisionCompetesWithTheTriggersOfTheSameMoment() {
        Customer customer =
                new Customer(
                        PolicySettings.DEFAULTS.withCaps(List.of()),
                        TestFlow.browseAbandoned(),
                        TestFlow.abandonedCart());
        customer.fire("browse_abandoned", "b1", at("2024-06-03T23:00:00Z"));

        // the cart trigger arrives at 08:00, before the timer fires
        assertThat(customer.fire("cart_abandoned", "c1", at("2024-06-04T08:00:00Z")))
                .extracting(d -> d.flowId, d -> d.outcome)
                .containsExactly(
                        tuple("abandoned_cart", "to_send"),
                        tuple("browse_abandoned", "suppressed"));
        assertThat(customer.timerAt(at("2024-06-04T08:00:00Z"))).isEmpty();
    }
}
