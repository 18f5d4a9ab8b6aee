package io.personalize.core.decisions;

import static io.personalize.core.decisions.Customer.KEY;
import static io.personalize.core.decisions.Customer.at;
import static io.personalize.core.decisions.Customer.trigger;
import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.recommend.Recommendation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdempotencyTest {
    private static final long NIGHT = at("2024-06-03T23:00:00Z");
    private static final PolicySettings QUIET = PolicySettings.DEFAULTS.withCaps(List.of());

    /**
     * A restart: the state goes through a field-by-field serializer (as Flink's POJO serializer
     * does) into a checkpoint and comes back, read by a new engine.
     */
    private static void restart(Customer customer) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        byte[] checkpoint = mapper.writeValueAsBytes(customer.state);
        DecisionState restored = mapper.readValue(checkpoint, DecisionState.class);
        assertThat(restored).isEqualTo(customer.state).isNotSameAs(customer.state);
        customer.state = restored;
        customer.engine = roundTrip(customer.engine);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T object) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void theDecisionIdIsADeterministicHashOfCustomerFlowAndTrigger() {
        String id = DecisionEngine.decisionId(KEY, "abandoned_cart", "cart-1");

        assertThat(id).hasSize(32).matches("[0-9a-f]{32}");
        assertThat(DecisionEngine.decisionId(KEY, "abandoned_cart", "cart-1")).isEqualTo(id);
        assertThat(
                        List.of(
                                DecisionEngine.decisionId("c:43", "abandoned_cart", "cart-1"),
                                DecisionEngine.decisionId(KEY, "browse_abandoned", "cart-1"),
                                DecisionEngine.decisionId(KEY, "abandoned_cart", "cart-2")))
                .doesNotContain(id)
                .doesNotHaveDuplicates();
    }

    @Test
    void aDecisionCarriesTheIdOfItsCustomerFlowAndTrigger() {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());

        Decision decision = customer.fire("cart_abandoned", "cart-1", NIGHT).get(0);

        assertThat(decision.decisionId)
                .isEqualTo(DecisionEngine.decisionId(KEY, "abandoned_cart", "cart-1"));
    }

    @Test
    void theSameTriggerDeliveredAgainYieldsNoSecondDecision() {
        Customer customer =
                new Customer(PolicySettings.DEFAULTS.withoutQuietHours(), TestFlow.abandonedCart());
        assertThat(customer.fire("cart_abandoned", "cart-1", NIGHT)).hasSize(1);

        assertThat(customer.fire("cart_abandoned", "cart-1", NIGHT)).isEmpty();
        assertThat(customer.fire(NIGHT + HOUR, trigger("cart_abandoned", "cart-1", NIGHT)))
                .isEmpty();
        assertThat(customer.state.sends).hasSize(1);
    }

    @Test
    void theSameTriggerTwiceInOneCallYieldsOneDecision() {
        Customer customer = new Customer(QUIET.withoutQuietHours(), TestFlow.abandonedCart());

        assertThat(
                        customer.fire(
                                NIGHT,
                                trigger("cart_abandoned", "cart-1", NIGHT),
                                trigger("cart_abandoned", "cart-1", NIGHT)))
                .hasSize(1);
    }

    @Test
    void afterARestartASentTriggerDeliveredAgainYieldsNoDecision() throws Exception {
        Customer customer = new Customer(QUIET.withoutQuietHours(), TestFlow.abandonedCart());
        assertThat(customer.fire("cart_abandoned", "cart-1", NIGHT))
                .extracting(d -> d.outcome)
                .containsExactly("to_send");

        restart(customer);

        assertThat(customer.fire("cart_abandoned", "cart-1", NIGHT)).isEmpty();
    }

    @Test
    void afterARestartADeferredDecisionIsSentOnceUnderItsId() throws Exception {
        Customer customer = new Customer(QUIET, TestFlow.abandonedCart());
        Trigger cart = trigger("cart_abandoned", "cart-1", NIGHT);
        cart.recommendations.add(
                new Recommendation("p1", "Kettle", "kitchen", 29.9, null, "popular", 0.5));
        Decision deferred = customer.fire(NIGHT, cart).get(0);

        restart(customer);

        assertThat(customer.fire(NIGHT, cart)).isEmpty();
        assertThat(customer.nextWakeUp()).isEqualTo(deferred.deferredUntil);
        Decision sent = customer.timer().get(0);
        assertThat(sent.decisionId).isEqualTo(deferred.decisionId);
        assertThat(sent.outcome).isEqualTo("to_send");
        assertThat(sent.recommendations).isEqualTo(cart.recommendations);
        assertThat(customer.fire(NIGHT + 10 * HOUR, cart)).isEmpty();
    }

    @Test
    void decidedTriggersAreForgottenAfterTheHorizonAndOlderTriggersIgnored() {
        Customer customer =
                new Customer(
                        QUIET.withoutQuietHours().withIdempotencyHorizon(Duration.ofDays(30)),
                        TestFlow.abandonedCart());
        customer.fire("cart_abandoned", "cart-1", NIGHT);

        customer.fire("cart_abandoned", "cart-2", NIGHT + 31 * DAY);

        assertThat(customer.state.decided)
                .containsOnlyKeys(DecisionEngine.decisionId(KEY, "abandoned_cart", "cart-2"));
        assertThat(
                        customer.fire(
                                NIGHT + 31 * DAY + HOUR,
                                trigger("cart_abandoned", "cart-1", NIGHT)))
                .isEmpty();
    }
}
