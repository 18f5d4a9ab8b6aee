package io.personalize.core.conversions;

import io.personalize.core.decisions.Decision;
import java.util.Objects;

/** What the conversion stage keeps of a decision it may attribute to. A Flink POJO. */
public class AttributableDecision {
    public String decisionId;
    public String flowId;
    public String experimentId;
    public String variant;
    public String outcome;
    public long decidedAt;

    public AttributableDecision() {}

    public static AttributableDecision of(Decision d) {
        AttributableDecision a = new AttributableDecision();
        a.decisionId = d.decisionId;
        a.flowId = d.flowId;
        a.experimentId = d.experimentId;
        a.variant = d.variant;
        a.outcome = d.outcome;
        a.decidedAt = d.decidedAt;
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttributableDecision a
                && Objects.equals(decisionId, a.decisionId)
                && Objects.equals(outcome, a.outcome)
                && decidedAt == a.decidedAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(decisionId, decidedAt);
    }
}
