package io.personalize.core.segments;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * A customer entering or leaving a segment: one row of the {@code segment_changes} table. {@code
 * membership} is what the customer is now ({@code member}, {@code not_member} or {@code unknown},
 * with {@code reason} for unknown). A Flink POJO.
 */
public class SegmentChange {
    public static final String ENTERED = "entered";
    public static final String EXITED = "exited";

    /** Deterministic: the same change computed again (replay, restore) has the same id. */
    public String changeId;

    public String customerKey;
    public String customerId;
    public String segmentId;

    /** {@link #ENTERED} or {@link #EXITED}. */
    public String change;

    public String membership;
    public String reason;

    /** Event time of the change. */
    public long eventTime;

    /** Processing time it was computed. */
    public long processedAt;

    /** Version of the segment definitions that produced it. */
    public long ruleVersion;

    public SegmentChange() {}

    public static SegmentChange of(
            String customerKey,
            String customerId,
            SegmentEngine.Transition transition,
            long eventTime,
            long processedAt,
            long ruleVersion) {
        SegmentChange c = new SegmentChange();
        c.customerKey = customerKey;
        c.customerId = customerId;
        c.segmentId = transition.segmentId();
        c.change = transition.entered() ? ENTERED : EXITED;
        c.membership = transition.to().name().toLowerCase(java.util.Locale.ROOT);
        c.reason = transition.reason();
        c.eventTime = eventTime;
        c.processedAt = processedAt;
        c.ruleVersion = ruleVersion;
        c.changeId =
                UUID.nameUUIDFromBytes(
                                String.join(
                                                "|",
                                                customerKey,
                                                c.segmentId,
                                                c.change,
                                                Long.toString(eventTime),
                                                Long.toString(ruleVersion))
                                        .getBytes(StandardCharsets.UTF_8))
                        .toString();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentChange s
                && eventTime == s.eventTime
                && processedAt == s.processedAt
                && ruleVersion == s.ruleVersion
                && Objects.equals(changeId, s.changeId)
                && Objects.equals(customerKey, s.customerKey)
                && Objects.equals(customerId, s.customerId)
                && Objects.equals(segmentId, s.segmentId)
                && Objects.equals(change, s.change)
                && Objects.equals(membership, s.membership)
                && Objects.equals(reason, s.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(changeId);
    }

    @Override
    public String toString() {
        return "SegmentChange{"
                + customerKey
                + " "
                + change
                + " "
                + segmentId
                + " @"
                + eventTime
                + " v"
                + ruleVersion
                + "}";
    }
}
