package io.personalize.job.decisions;

import io.personalize.core.decisions.ConditionStarts;
import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.DecisionEngine;
import io.personalize.core.decisions.Trigger;
import io.personalize.core.decisions.Triggers;
import io.personalize.core.flows.CompiledFlows;
import io.personalize.core.segments.SegmentChange;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides one customer's inputs, one at a time and in the order the decision stage hands them over,
 * with the send policy ({@link DecisionEngine}). Plain Java: the Flink operator keeps the {@link
 * DecisionCustomer} and the order; this class only decides.
 *
 * <p>A moment of the customer's features starts the flows its segment changes trigger and the
 * condition-started flows whose condition now holds and did not before; a pattern trigger is
 * decided on the latest features and scores; a wake-up re-decides the deferred decisions due. Each
 * also decides the deferred decisions due by then. The moment's event time never goes back: a
 * trigger decided after later features is decided at the customer's clock.
 */
final class CustomerDecisions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DecisionEngine engine;

    CustomerDecisions(DecisionEngine engine) {
        this.engine = engine;
    }

    List<Decision> features(DecisionCustomer customer, DecisionInput input, CompiledFlows flows) {
        long now = advance(customer, input.features.asOf);
        customer.features = input.features;
        customer.scores = input.scores == null ? Map.of() : input.scores;
        List<Trigger> triggers = new ArrayList<>(2);
        if (input.features.segmentChanges != null) {
            for (SegmentChange change : input.features.segmentChanges) {
                triggers.add(Triggers.of(change));
            }
        }
        ConditionStarts.add(
                flows.conditionFlows(),
                customer.features,
                customer.scores,
                customer.conditions,
                triggers);
        return decide(customer, triggers, flows, now);
    }

    List<Decision> trigger(DecisionCustomer customer, Trigger trigger, CompiledFlows flows) {
        return decide(customer, List.of(trigger), flows, advance(customer, trigger.at));
    }

    List<Decision> wakeUp(DecisionCustomer customer, long at, CompiledFlows flows) {
        return decide(customer, List.of(), flows, advance(customer, at));
    }

    /** When the earliest deferred decision is due; {@link Long#MAX_VALUE} when none is. */
    long nextWakeUp(DecisionCustomer customer) {
        return engine.nextWakeUp(customer.policy);
    }

    private List<Decision> decide(
            DecisionCustomer customer, List<Trigger> triggers, CompiledFlows flows, long now) {
        List<Decision> made =
                engine.onTriggers(
                        customer.policy,
                        triggers,
                        flows.flows(),
                        flows.version(),
                        customer.features,
                        customer.scores,
                        now);
        Long asOf = customer.features == null ? null : customer.features.asOf;
        for (Decision d : made) {
            d.featuresAsOf = asOf;
        }
        return made;
    }

    private static long advance(DecisionCustomer customer, long at) {
        customer.clock = Math.max(customer.clock, at);
        return customer.clock;
    }
}
