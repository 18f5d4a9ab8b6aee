package io.personalize.core.decisions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link DecisionEngine} remembers of one customer between calls; the Flink operator keeps one
 * per customer key in keyed state. A Flink POJO (public fields, lists and maps of POJOs, strings
 * and longs): only the engine changes it.
 */
public class DecisionState {
    /** Emails sent (to_send), oldest first; pruned to the longest cap window. */
    public List<Send> sends = new ArrayList<>();

    /**
     * Flow id -> event time the customer last entered it (to_send or held_out): for cooldowns and
     * once-only flows. Never pruned (one entry per flow).
     */
    public Map<String, Long> entered = new HashMap<>();

    /** Deferred decisions waiting for their timer. */
    public List<PendingDecision> pending = new ArrayList<>();

    /**
     * Decision id -> event time of its trigger, for every trigger decided: a trigger seen again
     * (replayed input, a restart) yields no second decision. Pruned after the idempotency horizon
     * (ids of deferred decisions are kept).
     */
    public Map<String, Long> decided = new HashMap<>();

    /**
     * Triggers before this event time are ignored: {@link #decided} may have forgotten them. Only
     * moves forward (now minus the idempotency horizon).
     */
    public long forgottenBefore = Long.MIN_VALUE;

    public DecisionState() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof DecisionState s
                && Objects.equals(sends, s.sends)
                && Objects.equals(entered, s.entered)
                && Objects.equals(pending, s.pending)
                && Objects.equals(decided, s.decided)
                && forgottenBefore == s.forgottenBefore;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sends, entered, pending, decided);
    }

    @Override
    public String toString() {
        return "DecisionState{sends="
                + sends
                + " entered="
                + entered
                + " pending="
                + pending
                + " decided="
                + decided.size()
                + "}";
    }
}
