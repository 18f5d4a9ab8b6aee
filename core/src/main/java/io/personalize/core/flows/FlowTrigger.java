package io.personalize.core.flows;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.personalize.core.decisions.Trigger;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What starts a flow, as written in a definitions file: exactly one of
 *
 * <ul>
 *   <li>{@code pattern: cart_abandoned} — a CEP pattern match, one of {@link #PATTERNS};
 *   <li>{@code segment_entered: lapsed_customers} or {@code segment_exited: ...} — a segment id;
 *   <li>{@code condition: "orders_30d > 2 && engagement_score > 0.5"} — a CEL rule over features
 *       and scores; the flow starts when it becomes true.
 * </ul>
 */
public record FlowTrigger(
        String pattern,
        @JsonProperty("segment_entered") String segmentEntered,
        @JsonProperty("segment_exited") String segmentExited,
        String condition)
        implements Serializable {

    /** The CEP patterns a flow can start from (the names of their {@link Trigger}s). */
    public static final List<String> PATTERNS =
            List.of("cart_abandoned", "cart_reminder_due", "browse_abandoned");

    public static FlowTrigger pattern(String name) {
        return new FlowTrigger(name, null, null, null);
    }

    public static FlowTrigger segmentEntered(String segmentId) {
        return new FlowTrigger(null, segmentId, null, null);
    }

    public static FlowTrigger segmentExited(String segmentId) {
        return new FlowTrigger(null, null, segmentId, null);
    }

    public static FlowTrigger condition(String rule) {
        return new FlowTrigger(null, null, null, rule);
    }

    /**
     * The {@link Trigger#kind} kinds this trigger names, in the order {@link Trigger#PATTERN},
     * {@link Trigger#SEGMENT_ENTERED}, {@link Trigger#SEGMENT_EXITED}, {@link Trigger#CONDITION}; a
     * valid trigger names exactly one.
     */
    @JsonIgnore
    public List<String> kinds() {
        List<String> kinds = new ArrayList<>(1);
        if (pattern != null) {
            kinds.add(Trigger.PATTERN);
        }
        if (segmentEntered != null) {
            kinds.add(Trigger.SEGMENT_ENTERED);
        }
        if (segmentExited != null) {
            kinds.add(Trigger.SEGMENT_EXITED);
        }
        if (condition != null) {
            kinds.add(Trigger.CONDITION);
        }
        return kinds;
    }

    /** The value written for a kind: the pattern name, the segment id or the rule. */
    String valueOf(String kind) {
        return switch (kind) {
            case Trigger.PATTERN -> pattern;
            case Trigger.SEGMENT_ENTERED -> segmentEntered;
            case Trigger.SEGMENT_EXITED -> segmentExited;
            case Trigger.CONDITION -> condition;
            default -> throw new IllegalArgumentException("unknown trigger kind " + kind);
        };
    }
}
