package io.personalize.core.decisions;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.flows.Flow;
import io.personalize.core.scoring.CustomerScore;
import java.util.List;
import java.util.Map;

/**
 * Which flows started by a condition a customer's moment starts: those whose condition holds now
 * and did not at the customer's previous moment (a condition that cannot be decided does not hold).
 * A condition that keeps holding starts nothing again; one that stops holding may start its flow
 * again once it holds anew. The trigger is named after the flow, its id is the flow and the
 * moment's time, so a replay of the same moment gives the same trigger.
 *
 * <pre>{@code
 * ConditionStarts.add(flows.conditionFlows(), features, scores, customer.conditions, triggers);
 * }</pre>
 */
public final class ConditionStarts {
    private ConditionStarts() {}

    /**
     * Adds to {@code triggers} a {@link Trigger#CONDITION} trigger for each flow of {@code
     * conditionFlows} whose condition holds for {@code features} and {@code scores} and did not
     * before, and records in {@code held} whether each holds now.
     *
     * @param held whether each flow's condition held at the previous moment, by flow id (absent: no
     *     moment yet); updated
     */
    public static void add(
            List<Flow> conditionFlows,
            CustomerFeatures features,
            Map<String, CustomerScore> scores,
            Map<String, Boolean> held,
            List<Trigger> triggers) {
        for (Flow flow : conditionFlows) {
            boolean holds = flow.triggerConditionHolds(features, scores);
            Boolean before = held.get(flow.id());
            if (holds && !Boolean.TRUE.equals(before)) {
                triggers.add(
                        Trigger.of(
                                features.customerKey,
                                features.customerId,
                                Trigger.CONDITION,
                                flow.id(),
                                flow.id() + "@" + features.asOf,
                                features.asOf));
            }
            if (before == null || before != holds) {
                held.put(flow.id(), holds);
            }
        }
    }
}
