package io.personalize.core.delivery;

import io.personalize.core.decisions.Decision;
import java.util.Objects;

/**
 * How the trigger of one decision ended: delivered (a 2xx, with the attempts it took) or failed
 * (with the last error; also a dead letter). One row of the {@code deliveries} table. A Flink POJO.
 */
public class DeliveryResult {
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    /** The decision id, also the {@code webhook-id}. */
    public String decisionId;

    public String customerKey;
    public String customerId;
    public String flowId;
    public String experimentId;
    public String variant;
    public String templateId;
    public String endpointId;

    /** {@link #DELIVERED} or {@link #FAILED}. */
    public String status;

    /** Attempts made (since the last restore, when the job restarted meanwhile). */
    public int attempts;

    /** HTTP status of the last response; null when none came (timeout, connection refused). */
    public Integer httpStatus;

    /** The last error, e.g. {@code HTTP 503} or {@code timeout after 5s}; null when delivered. */
    public String error;

    /** The last {@code Retry-After} the endpoint asked for, in milliseconds (-1: none). */
    public long retryAfterMillis = -1;

    /** Event time of the decision. */
    public long decidedAt;

    /** Processing time the decision was made (its age counts from here). */
    public long decisionProcessedAt;

    /** Processing time of the first attempt. */
    public long firstAttemptAt;

    /** Processing time of the last response or failure. */
    public long completedAt;

    public DeliveryResult() {}

    /** A result for a decision with nothing attempted yet. */
    public static DeliveryResult of(Decision d) {
        DeliveryResult r = new DeliveryResult();
        r.decisionId = d.decisionId;
        r.customerKey = d.customerKey;
        r.customerId = d.customerId;
        r.flowId = d.flowId;
        r.experimentId = d.experimentId;
        r.variant = d.variant;
        r.templateId = d.templateId;
        r.endpointId = d.endpointId;
        r.decidedAt = d.decidedAt;
        r.decisionProcessedAt = d.processedAt;
        return r;
    }

    public boolean delivered() {
        return DELIVERED.equals(status);
    }

    /** Milliseconds from the decision to its last response. */
    public long latencyMillis() {
        return Math.max(0, completedAt - decisionProcessedAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeliveryResult r
                && Objects.equals(decisionId, r.decisionId)
                && Objects.equals(status, r.status)
                && attempts == r.attempts
                && Objects.equals(httpStatus, r.httpStatus)
                && Objects.equals(error, r.error)
                && Objects.equals(endpointId, r.endpointId)
                && completedAt == r.completedAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(decisionId, status, attempts, completedAt);
    }

    /** Ids only: never personal data. */
    @Override
    public String toString() {
        return "DeliveryResult{"
                + decisionId
                + " "
                + flowId
                + " -> "
                + endpointId
                + " "
                + status
                + " after "
                + attempts
                + (error == null ? "" : " (" + error + ")")
                + "}";
    }
}
