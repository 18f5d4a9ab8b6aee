package io.personalize.core.decisions;

import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.flows.Flow;
import io.personalize.core.flows.FlowCompiler;
import io.personalize.core.flows.FlowValidationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionStartsTest {
    private final List<Flow> loyalty = compile("avg_order_value > 50.0");
    private final Map<String, Boolean> held = new HashMap<>();

    private static List<Flow> compile(String condition) {
        try {
            return FlowCompiler.standard()
                    .compile(
                            "version: 1\n"
                                    + "flows:\n"
                                    + "  - id: loyalty\n"
                                    + "    trigger:\n"
                                    + "      condition: "
                                    + condition
                                    + "\n"
                                    + "    endpoint: esp\n"
                                    + "    template: tpl\n")
                    .conditionFlows();
        } catch (FlowValidationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private List<Trigger> moment(long at, Double avgOrderValue) {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = "c:1";
        f.customerId = "1";
        f.asOf = at;
        f.avgOrderValue = avgOrderValue;
        f.segments = List.of();
        List<Trigger> triggers = new ArrayList<>();
        ConditionStarts.add(loyalty, f, Map.of(), held, triggers);
        return triggers;
    }

    @Test
    void aConditionThatComesToHoldStartsItsFlowOnceNamedAfterIt() {
        assertThat(moment(T0, 20.0)).isEmpty();

        List<Trigger> started = moment(T0 + DAY, 80.0);

        assertThat(started)
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.kind).isEqualTo(Trigger.CONDITION);
                            assertThat(t.name).isEqualTo("loyalty");
                            assertThat(t.triggeringId).isEqualTo("loyalty@" + (T0 + DAY));
                            assertThat(t.at).isEqualTo(T0 + DAY);
                            assertThat(t.customerKey).isEqualTo("c:1");
                        });
    }

    @Test
    void aConditionThatHeldAlreadyStartsNothing() {
        assertThat(moment(T0, 80.0)).hasSize(1);

        assertThat(moment(T0 + DAY, 90.0)).isEmpty();
        assertThat(held).containsEntry("loyalty", true);
    }

    @Test
    void aConditionThatStoppedHoldingStartsItsFlowAgainWhenItHoldsAnew() {
        moment(T0, 80.0);
        assertThat(moment(T0 + DAY, 20.0)).isEmpty();
        assertThat(held).containsEntry("loyalty", false);

        assertThat(moment(T0 + 2 * DAY, 80.0)).hasSize(1);
    }

    @Test
    void aConditionThatCannotBeDecidedDoesNotHold() {
        assertThat(moment(T0, null)).isEmpty(); // no order yet: no average
        assertThat(held).containsEntry("loyalty", false);
    }
}
