package io.personalize.job.decisions;

import io.personalize.core.decisions.Trigger;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the decision stage reads, keyed by customer: a moment of the customer (the features, with
 * the segment changes of that moment and the champion scores of exactly these features), or a
 * pattern trigger from the cart and browse stages. Serialized by {@link DecisionInputSerializer}.
 * Across the network a moment carries only what changed ({@link MomentDeltas}).
 */
@TypeInfo(DecisionInputTypeInfo.Factory.class)
public class DecisionInput {
    public String customerKey;
    public CustomerFeatures features;

    /**
     * Which fields of {@link #features} the moment carries ({@link MomentFields}): all of them, or,
     * between the customer stage and the decision stage, those that changed since the customer's
     * previous moment ({@link MomentDeltas}).
     */
    public long fields = MomentFields.ALL;

    /**
     * Champion scores of {@link #features}, by model name; with the features only. Null between the
     * stages when they are those of the previous moment.
     */
    public Map<String, CustomerScore> scores;

    public Trigger trigger;

    /**
     * The marker that the customer was erased ({@link CustomerFeatures#erased}): the stages forget
     * the customer; nothing else is set but the key.
     */
    public boolean erased;

    public DecisionInput() {}

    public static DecisionInput of(CustomerFeatures features, Map<String, CustomerScore> scores) {
        DecisionInput in = new DecisionInput();
        in.customerKey = features.customerKey;
        if (features.erased) {
            in.erased = true;
            return in;
        }
        in.features = features;
        in.scores = scores;
        return in;
    }

    public static DecisionInput of(Trigger trigger) {
        DecisionInput in = new DecisionInput();
        in.customerKey = trigger.customerKey;
        in.trigger = trigger;
        return in;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecisionInput d
                && Objects.equals(customerKey, d.customerKey)
                && Objects.equals(features, d.features)
                && fields == d.fields
                && erased == d.erased
                && Objects.equals(scores, d.scores)
                && Objects.equals(trigger, d.trigger);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerKey, trigger);
    }
}
