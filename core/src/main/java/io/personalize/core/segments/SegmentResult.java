package io.personalize.core.segments;

import java.io.Serializable;

/** One segment's {@link Membership} for one customer; {@code reason} is set when unknown. */
public record SegmentResult(Membership membership, String reason) implements Serializable {

    static final SegmentResult MEMBER = new SegmentResult(Membership.MEMBER, null);
    static final SegmentResult NOT_MEMBER = new SegmentResult(Membership.NOT_MEMBER, null);

    static SegmentResult unknown(String reason) {
        return new SegmentResult(Membership.UNKNOWN, reason);
    }

    /** Only {@link Membership#MEMBER} is a member; unknown is not. */
    public boolean isMember() {
        return membership == Membership.MEMBER;
    }
}
