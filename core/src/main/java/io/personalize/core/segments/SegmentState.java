package io.personalize.core.segments;

import java.util.Arrays;

/**
 * One customer's memberships under one rule version, kept between evaluations: per segment (in the
 * rule set's evaluation order) its {@link Membership} and a fingerprint of the inputs it was last
 * evaluated on, so unchanged rules are not evaluated again. A Flink POJO.
 */
public class SegmentState {
    /** The rule version the memberships were computed under; -1 before the first evaluation. */
    public long version = -1;

    public String[] segmentIds = new String[0];

    /** {@link Membership} ordinals, parallel to {@link #segmentIds}. */
    public byte[] memberships = new byte[0];

    /** Input fingerprints, parallel to {@link #segmentIds}. */
    public long[] fingerprints = new long[0];

    /**
     * The next instant at which a membership may change without an event (a rule input's window
     * expiring, a time-driven threshold); {@link Long#MAX_VALUE} when none. Set by the job.
     */
    public long dueAt = Long.MAX_VALUE;

    public SegmentState() {}

    /** The membership of a segment; {@link Membership#NOT_MEMBER} when it is not in the state. */
    public Membership membership(String segmentId) {
        for (int i = 0; i < segmentIds.length; i++) {
            if (segmentIds[i].equals(segmentId)) {
                return Membership.values()[memberships[i]];
            }
        }
        return Membership.NOT_MEMBER;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentState s
                && version == s.version
                && dueAt == s.dueAt
                && Arrays.equals(segmentIds, s.segmentIds)
                && Arrays.equals(memberships, s.memberships)
                && Arrays.equals(fingerprints, s.fingerprints);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + Arrays.hashCode(segmentIds);
    }
}
