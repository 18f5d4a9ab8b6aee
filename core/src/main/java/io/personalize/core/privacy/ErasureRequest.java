package io.personalize.core.privacy;

import java.util.Objects;

/**
 * A key the stream has forgotten ({@code erasure_requested}), on its way to the tables: the rows of
 * the key, and of every anonymous id linked to the customer, are deleted once the checkpoints that
 * wrote them are committed. It carries the ids in clear only until then; what is kept afterwards is
 * the salted {@link #subject}. A Flink POJO.
 */
public class ErasureRequest {
    /** The event id of the request; a linked anonymous key's request carries the customer's. */
    public String erasureId;

    /** {@code c:<id>} or {@code a:<id>}. */
    public String customerKey;

    /** The customer id, null for an anonymous key. */
    public String customerId;

    /** The anonymous id, for an anonymous key. */
    public String anonymousId;

    /** HMAC-SHA256 of {@link #customerKey} under the hashing secret. */
    public String subject;

    /** When it was asked for: the request's event time. */
    public long requestedAt;

    /** An anonymous key erased because it is linked to the erased customer. */
    public boolean linked;

    /** Whether the stream held anything of the key when it came. */
    public boolean known;

    public ErasureRequest() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof ErasureRequest r
                && Objects.equals(erasureId, r.erasureId)
                && Objects.equals(customerKey, r.customerKey)
                && Objects.equals(customerId, r.customerId)
                && Objects.equals(anonymousId, r.anonymousId)
                && Objects.equals(subject, r.subject)
                && requestedAt == r.requestedAt
                && known == r.known;
    }

    @Override
    public int hashCode() {
        return Objects.hash(erasureId, customerKey);
    }

    @Override
    public String toString() {
        return "ErasureRequest{" + erasureId + ", " + customerKey + "}";
    }
}
