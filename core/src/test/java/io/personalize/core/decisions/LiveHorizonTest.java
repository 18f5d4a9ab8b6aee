package io.personalize.core.decisions;

import static io.personalize.core.decisions.Customer.PROCESSING_TIME;
import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Triggers older than the live horizon (by the wall clock) are replayed history, never sent. */
class LiveHorizonTest {
    /** The wall clock of every decision. */
    private static final long NOW = PROCESSING_TIME.toEpochMilli();

    private static final Duration HORIZON = Duration.ofDays(2);

    /** Default caps (1 per 16 h, 3 per 7 days), no quiet hours, a 2-day live horizon. */
    private static final PolicySettings POLICY =
            PolicySettings.DEFAULTS.withoutQuietHours().withLiveHorizon(HORIZON);

    @Test
    void aTriggerOlderThanTheHorizonIsReplayedNotSent() {
        Customer customer = new Customer(POLICY, TestFlow.abandonedCart());

        Decision d = only(customer.fire("cart_abandoned", "cart-1", NOW - 3 * DAY));

        assertThat(d.outcome).isEqualTo("replayed");
        assertThat(d.reasons).containsExactly("history: older than 2d");
        assertThat(customer.state.sends).isEmpty();
        assertThat(customer.state.pending).isEmpty();
        assertThat(customer.nextWakeUp()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aTriggerWithinTheHorizonIsLive() {
        Customer customer = new Customer(POLICY, TestFlow.abandonedCart());

        assertThat(only(customer.fire("cart_abandoned", "cart-1", NOW - HOUR)).outcome)
                .isEqualTo("to_send");
    }

    @Test
    void replayedHistoryTakesNoCapNorCooldownFromTheFirstLiveTrigger() {
        Customer customer =
                new Customer(POLICY, TestFlow.abandonedCart().cooldown(Duration.ofDays(30)));
        for (int i = 0; i < 5; i++) {
            assertThat(outcomes(customer.fire("cart_abandoned", "old-" + i, NOW - (10 - i) * DAY)))
                    .containsExactly("replayed");
        }

        Decision live = only(customer.fire("cart_abandoned", "live-1", NOW - HOUR));

        assertThat(live.outcome).isEqualTo("to_send");
        assertThat(live.reasons).isEmpty();
    }

    @Test
    void aReplayedTriggerIsNotDecidedAgain() {
        Customer customer = new Customer(POLICY, TestFlow.abandonedCart());
        long at = NOW - 5 * DAY;
        customer.fire("cart_abandoned", "cart-1", at);

        assertThat(customer.fire(at + HOUR, Customer.trigger("cart_abandoned", "cart-1", at)))
                .isEmpty();
    }

    @Test
    void withoutAHorizonEveryTriggerIsLive() {
        Customer customer =
                new Customer(PolicySettings.DEFAULTS.withoutQuietHours(), TestFlow.abandonedCart());

        assertThat(only(customer.fire("cart_abandoned", "cart-1", NOW - 300 * DAY)).outcome)
                .isEqualTo("to_send");
    }

    @Test
    void replayedHistoryDoesNotUseUpAOnceOnlyFlow() {
        Customer customer = new Customer(POLICY, TestFlow.on("welcome", "welcome").once());
        assertThat(outcomes(customer.fire("welcome", "w-old", NOW - 40 * DAY)))
                .containsExactly("replayed");

        assertThat(outcomes(customer.fire("welcome", "w-live", NOW - HOUR)))
                .containsExactly("to_send");
    }

    private static Decision only(List<Decision> decisions) {
        assertThat(decisions).hasSize(1);
        return decisions.get(0);
    }

    private static List<String> outcomes(List<Decision> decisions) {
        return decisions.stream().map(d -> d.outcome).toList();
    }
}
