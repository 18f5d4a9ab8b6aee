package io.personalize.core.decisions;

import static io.personalize.core.decisions.Customer.at;
import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.personalize.core.decisions.PolicySettings.Cap;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrequencyCapTest {
    private static final long T0 = at("2024-06-03T10:00:00Z");

    /** Default caps (1 per 16 h, 3 per 7 days), no quiet hours. */
    private static final PolicySettings CAPS_ONLY = PolicySettings.DEFAULTS.withoutQuietHours();

    @Test
    void aCappedDecisionIsDeferredToTheFirstAllowedMomentAndSentThen() {
        Customer customer =
                new Customer(CAPS_ONLY, TestFlow.abandonedCart(), TestFlow.browseAbandoned());
        assertThat(customer.fire("cart_abandoned", "cart-1", T0))
                .singleElement()
                .extracting(d -> d.outcome)
                .isEqualTo("to_send");

        Decision deferred = customer.fire("browse_abandoned", "browse-1", T0 + 2 * HOUR).get(0);

        assertThat(deferred.outcome).isEqualTo("deferred");
        assertThat(deferred.reasons).containsExactly("frequency_cap: 1 per 16h");
        assertThat(deferred.deferredUntil).isEqualTo(T0 + 16 * HOUR);
        assertThat(customer.nextWakeUp()).isEqualTo(T0 + 16 * HOUR);

        Decision sent = customer.timer().get(0);

        assertThat(sent.decisionId).isEqualTo(deferred.decisionId);
        assertThat(sent.outcome).isEqualTo("to_send");
        assertThat(sent.reasons).isEmpty();
        assertThat(sent.decidedAt).isEqualTo(T0 + 16 * HOUR);
        assertThat(sent.triggeredAt).isEqualTo(T0 + 2 * HOUR);
        assertThat(sent.deferredUntil).isNull();
        assertThat(customer.nextWakeUp()).isEqualTo(Long.MAX_VALUE);
        assertThat(customer.state.pending).isEmpty();
    }

    @Test
    void aTimerBeforeTheDueTimeChangesNothing() {
        Customer customer =
                new Customer(CAPS_ONLY, TestFlow.abandonedCart(), TestFlow.browseAbandoned());
        customer.fire("cart_abandoned", "cart-1", T0);
        customer.fire("browse_abandoned", "browse-1", T0 + HOUR);

        assertThat(customer.timerAt(T0 + 15 * HOUR)).isEmpty();
        assertThat(customer.nextWakeUp()).isEqualTo(T0 + 16 * HOUR);
    }

    @Test
    void theWeeklyCapDefersUntilTheOldestCountedSendLeavesTheWindow() {
        Customer customer =
                new Customer(
                        CAPS_ONLY.withMaxDelay(Duration.ofDays(5)), TestFlow.on("news", "news"));
        for (int day = 0; day < 3; day++) {
            assertThat(customer.fire("news", "n" + day, T0 + day * DAY))
                    .extracting(d -> d.outcome)
                    .containsExactly("to_send");
        }

        Decision deferred = customer.fire("news", "n3", T0 + 3 * DAY).get(0);

        assertThat(deferred.outcome).isEqualTo("deferred");
        assertThat(deferred.reasons).containsExactly("frequency_cap: 3 per 7d");
        assertThat(deferred.deferredUntil).isEqualTo(T0 + 7 * DAY);
        assertThat(customer.timer())
                .extracting(d -> d.outcome, d -> d.decidedAt)
                .containsExactly(tuple("to_send", T0 + 7 * DAY));
    }

    @Test
    void aDeferralBeyondTheMaximumDelayExpiresAtOnce() {
        PolicySettings settings = CAPS_ONLY.withCaps(List.of(new Cap(1, Duration.ofHours(72))));
        Customer customer =
                new Customer(settings, TestFlow.abandonedCart(), TestFlow.browseAbandoned());
        customer.fire("cart_abandoned", "cart-1", T0);

        Decision expired = customer.fire("browse_abandoned", "browse-1", T0 + HOUR).get(0);

        assertThat(expired.outcome).isEqualTo("expired");
        assertThat(expired.reasons)
                .containsExactly("frequency_cap: 1 per 3d", "expired: deferred 2d");
        assertThat(expired.deferredUntil).isNull();
        assertThat(customer.state.pending).isEmpty();
        assertThat(customer.nextWakeUp()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aTimerFiringLaterThanTheMaximumDelayExpiresTheDecision() {
        Customer customer =
                new Customer(CAPS_ONLY, TestFlow.abandonedCart(), TestFlow.browseAbandoned());
        customer.fire("cart_abandoned", "cart-1", T0);
        customer.fire("browse_abandoned", "browse-1", T0 + HOUR);

        Decision expired = customer.timerAt(T0 + HOUR + 49 * HOUR).get(0);

        assertThat(expired.outcome).isEqualTo("expired");
        assertThat(expired.reasons).containsExactly("expired: deferred 2d");
        assertThat(customer.state.pending).isEmpty();
    }

    @Test
    void aCapAllowsASendExactlyWhenTheCountedSendLeavesTheWindow() {
        Cap cap = new Cap(2, Duration.ofHours(10));
        List<Send> sends = List.of(new Send("a", "1", T0), new Send("b", "2", T0 + 4 * HOUR));

        assertThat(DecisionEngine.capAllowedAt(sends, cap, T0 + 5 * HOUR))
                .isEqualTo(T0 + 10 * HOUR);
        assertThat(DecisionEngine.capAllowedAt(sends, cap, T0 + 10 * HOUR))
                .isEqualTo(T0 + 10 * HOUR);
        assertThat(DecisionEngine.capAllowedAt(sends.subList(0, 1), cap, T0 + HOUR))
                .isEqualTo(T0 + HOUR);
    }

    @Test
    void sendsNoCapCountsAnyMoreAreForgotten() {
        Customer customer = new Customer(CAPS_ONLY, TestFlow.on("news", "news"));
        customer.fire("news", "n0", T0);
        customer.fire("news", "n1", T0 + DAY);

        customer.fire("news", "n2", T0 + 7 * DAY + HOUR);

        assertThat(customer.state.sends)
                .extracting(s -> s.at)
                .containsExactly(T0 + DAY, T0 + 7 * DAY + HOUR);
    }
}
