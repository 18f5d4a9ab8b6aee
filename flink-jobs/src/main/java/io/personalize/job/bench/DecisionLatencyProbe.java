package io.personalize.job.bench;

import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.Trigger;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Records, for each decision an event triggered, the time from that event's read to the decision's
 * emission. Designed delays are left out: pattern triggers (they wait for the abandonment period),
 * triggers at a moment no event had (time-driven segment changes) and decisions made later than
 * their trigger (deferred by quiet hours or a cap, then decided again).
 */
final class DecisionLatencyProbe implements MapFunction<Decision, Decision> {
    private static final long serialVersionUID = 1L;

    @Override
    public Decision map(Decision decision) {
        if (!Trigger.PATTERN.equals(decision.triggerKind)
                && decision.decidedAt == decision.triggeredAt) {
            Long readAt = LatencyRecorder.readAt(decision.customerKey, decision.triggeredAt);
            if (readAt != null) {
                LatencyRecorder.DECISIONS.record(System.currentTimeMillis() - readAt);
            }
        }
        return decision;
    }
}
