package io.personalize.job.bench;

import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.Trigger;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Records, for each decision an event triggered, the time from that event's read to the decision's
 * arrival here, at the sink; in a live run from the event's emission (its event time). Designed
 * delays are left out: pattern triggers (they wait for the abandonment period), triggers at a
 * moment no event had (time-driven segment changes) and decisions made later than their trigger
 * (deferred by quiet hours or a cap, then decided again). In a live run, pattern-triggered
 * decisions go to {@link TriggerLateness}: their lateness past their designed time.
 */
final class DecisionLatencyProbe implements MapFunction<Decision, Decision> {
    private static final long serialVersionUID = 1L;

    @Override
    public Decision map(Decision decision) {
        long now = System.currentTimeMillis();
        if (Trigger.PATTERN.equals(decision.triggerKind)) {
            if (LatencyRecorder.live()) {
                TriggerLateness.record(decision.decisionId, decision.triggeredAt, now);
            }
        } else if (decision.decidedAt == decision.triggeredAt) {
            Long readAt = LatencyRecorder.readAt(decision.customerKey, decision.triggeredAt);
            if (readAt != null) {
                long from = LatencyRecorder.live() ? decision.triggeredAt : readAt;
                LatencyRecorder.DECISIONS.record(now - from);
            }
        }
        return decision;
    }
}
