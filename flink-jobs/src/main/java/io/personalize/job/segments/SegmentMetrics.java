package io.personalize.job.segments;

import io.personalize.core.segments.Membership;
import io.personalize.core.segments.SegmentEngine.Transition;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Segment metrics of one subtask, labelled by segment id (never by customer): {@code members} and
 * {@code unknown} gauges, {@code entered} and {@code exited} counters, {@code unknown} transitions
 * by {@code reason} ({@code missing:<features>} or {@code error}), and the serving rule {@code
 * version} with refused updates. Summed over subtasks, the gauges are the segment sizes.
 */
public final class SegmentMetrics {
    private final MetricGroup group;
    private final Map<String, PerSegment> segments = new HashMap<>();
    private final Counter refused;
    private long version = -1;

    public SegmentMetrics(MetricGroup operatorGroup) {
        this.group = operatorGroup.addGroup("personalize");
        this.refused = group.counter("segment_rules_refused");
        group.gauge("segment_rules_version", () -> version);
    }

    private final class PerSegment {
        final MetricGroup labelled;
        final Counter entered;
        final Counter exited;
        final Map<String, Counter> unknownByReason = new HashMap<>();
        long members;
        long unknown;

        PerSegment(String segmentId) {
            labelled = group.addGroup("segment", segmentId);
            entered = labelled.counter("segment_entered");
            exited = labelled.counter("segment_exited");
            labelled.gauge("segment_members", () -> members);
            labelled.gauge("segment_unknown", () -> unknown);
        }
    }

    private PerSegment of(String segmentId) {
        return segments.computeIfAbsent(segmentId, PerSegment::new);
    }

    public void record(Transition t) {
        PerSegment s = of(t.segmentId());
        if (t.entered()) {
            s.entered.inc();
        } else if (t.exited()) {
            s.exited.inc();
        }
        s.members += count(t.to(), Membership.MEMBER) - count(t.from(), Membership.MEMBER);
        s.unknown += count(t.to(), Membership.UNKNOWN) - count(t.from(), Membership.UNKNOWN);
        if (t.to() == Membership.UNKNOWN) {
            s.unknownByReason
                    .computeIfAbsent(
                            reasonCode(t.reason()),
                            r ->
                                    s.labelled
                                            .addGroup("reason", r)
                                            .counter("segment_unknown_transitions"))
                    .inc();
        }
    }

    public void version(long serving) {
        version = serving;
    }

    /** The counter of refused updates ({@code segment_rules_refused}). */
    public Counter refusedCounter() {
        return refused;
    }

    /** Members and unknown per segment, for the operator's checkpoint. */
    public Map<String, long[]> counts() {
        Map<String, long[]> counts = new HashMap<>();
        segments.forEach((id, s) -> counts.put(id, new long[] {s.members, s.unknown}));
        return counts;
    }

    /** Adds counts restored from a checkpoint (several entries per segment after rescaling). */
    public void restore(String segmentId, long members, long unknown) {
        PerSegment s = of(segmentId);
        s.members += members;
        s.unknown += unknown;
    }

    /** A short, bounded label: the missing features, or {@code error}. */
    static String reasonCode(String reason) {
        String prefix = "no value for ";
        if (reason != null && reason.startsWith(prefix)) {
            return "missing:" + reason.substring(prefix.length()).replace(" ", "");
        }
        return "error";
    }

    private static long count(Membership m, Membership wanted) {
        return m == wanted ? 1 : 0;
    }
}
