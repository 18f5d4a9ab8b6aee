package io.personalize.core.decisions;

import java.util.Objects;

/**
 * A deferred decision waiting for its timer: the decision as last recorded (outcome deferred), the
 * trigger it came from, and when it is re-evaluated. A Flink POJO.
 */
public class PendingDecision {
    public Decision decision;
    public Trigger trigger;

    /** Event time at which it is re-evaluated. */
    public long dueAt;

    public PendingDecision() {}

    public PendingDecision(Decision decision, Trigger trigger, long dueAt) {
        this.decision = decision;
        this.trigger = trigger;
        this.dueAt = dueAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingDecision p
                && dueAt == p.dueAt
                && Objects.equals(decision, p.decision)
                && Objects.equals(trigger, p.trigger);
    }

    @Override
    public int hashCode() {
        return Objects.hash(decision, dueAt);
    }

    @Override
    public String toString() {
        return "PendingDecision{" + decision + " due " + dueAt + "}";
    }
}
