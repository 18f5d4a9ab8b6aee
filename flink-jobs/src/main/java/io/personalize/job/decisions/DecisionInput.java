package io.personalize.job.decisions;

import io.personalize.core.decisions.Trigger;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import java.util.Objects;

/**
 * What the decision stage reads, one stream keyed by customer: the customer's features (consent,
 * time zone, what flow rules read), a champion score, or a trigger. Exactly one of the three is
 * set. A Flink POJO.
 */
public class DecisionInput {
    public String customerKey;
    public CustomerFeatures features;
    public CustomerScore score;
    public Trigger trigger;

    public DecisionInput() {}

    public static DecisionInput of(CustomerFeatures features) {
        DecisionInput in = new DecisionInput();
        in.customerKey = features.customerKey;
        in.features = features;
        return in;
    }

    public static DecisionInput of(CustomerScore score) {
        DecisionInput in = new DecisionInput();
        in.customerKey = score.customerKey;
        in.score = score;
        return in;
    }

    public static DecisionInput of(Trigger trigger) {
        DecisionInput in = new DecisionInput();
        in.customerKey = trigger.customerKey;
        in.trigger = trigger;
        return in;
    }

    /** Event time: the features' or score's as_of, the trigger's time. */
    public long at() {
        return features != null ? features.asOf : score != null ? score.asOf : trigger.at;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecisionInput d
                && Objects.equals(customerKey, d.customerKey)
                && Objects.equals(features, d.features)
                && Objects.equals(score, d.score)
                && Objects.equals(trigger, d.trigger);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerKey, trigger);
    }
}
