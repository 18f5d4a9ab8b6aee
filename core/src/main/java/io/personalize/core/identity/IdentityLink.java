package io.personalize.core.identity;

import java.util.Objects;

/**
 * An anonymous id linked to a customer: from then on the visitor's events count as the customer's.
 * A row of {@code identity_links}; a Flink POJO.
 */
public class IdentityLink {
    /** Deterministic: the anonymous id, the customer and the event that linked them. */
    public String linkId;

    public String anonymousId;
    public String customerId;

    /** The customer the anonymous id was linked to before (a shared device), or null. */
    public String previousCustomerId;

    /** Event time of the visitor's first event the link saw. */
    public long firstSeenAt;

    /** Event time of the event that linked them. */
    public long linkedAt;

    public String sourceEventId;

    /** Anonymous events given again under the customer (0 when relinked: history stays). */
    public int restatedEvents;

    /** Processing time. */
    public long processedAt;

    public IdentityLink() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IdentityLink other)) {
            return false;
        }
        return firstSeenAt == other.firstSeenAt
                && linkedAt == other.linkedAt
                && restatedEvents == other.restatedEvents
                && processedAt == other.processedAt
                && Objects.equals(linkId, other.linkId)
                && Objects.equals(anonymousId, other.anonymousId)
                && Objects.equals(customerId, other.customerId)
                && Objects.equals(previousCustomerId, other.previousCustomerId)
                && Objects.equals(sourceEventId, other.sourceEventId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(linkId);
    }

    /** Ids only. */
    @Override
    public String toString() {
        return "IdentityLink{" + anonymousId + " -> " + customerId + " @" + linkedAt + "}";
    }
}
