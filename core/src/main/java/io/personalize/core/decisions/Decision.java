package io.personalize.core.decisions;

import io.personalize.core.recommend.Recommendation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One decision for one customer and flow: the outcome with its reasons and everything that led to
 * it. A decision is recorded each time its outcome changes (deferred, then to_send or expired),
 * always under the same {@link #decisionId}. One row of the {@code decisions} table and what the
 * delivery stage reads (outcome {@code to_send}). A Flink POJO.
 */
public class Decision {
    /** Deterministic: a hash of customer, flow and triggering id; the idempotency key. */
    public String decisionId;

    public String customerKey;
    public String customerId;
    public String flowId;

    /** Version of the flow definitions that decided. */
    public long flowsVersion;

    /** The experiment and variant; null without an experiment. */
    public String experimentId;

    public String variant;

    /** {@link Outcome#code()}. */
    public String outcome;

    /**
     * Why, in order: e.g. {@code frequency_cap: 1 per 16h}, {@code quiet_hours: 21:00-08:00
     * Europe/Paris}; see {@link Reasons}.
     */
    public List<String> reasons = new ArrayList<>();

    public String triggerKind;
    public String triggerName;
    public String triggeringId;

    /** Model name -> champion version whose score was read. */
    public Map<String, String> modelVersions = new LinkedHashMap<>();

    /** Model name -> champion score at decision time. */
    public Map<String, Double> scores = new LinkedHashMap<>();

    /** The features the flow's rules read, as text, at decision time. */
    public Map<String, String> features = new LinkedHashMap<>();

    /** Rule version of the segments the customer was in. */
    public long segmentRulesVersion;

    public String endpointId;
    public String templateId;
    public List<String> contentBlocks = new ArrayList<>();
    public List<Recommendation> recommendations = new ArrayList<>();

    /** Personalization variables for the template (first name is never here: customer id only). */
    public Map<String, String> variables = new LinkedHashMap<>();

    /** Event time of the trigger. */
    public long triggeredAt;

    /** Event time this outcome was decided. */
    public long decidedAt;

    /** When deferred: the event time it is re-evaluated. */
    public Long deferredUntil;

    /** Event time of the customer features the decision read (null: none yet). */
    public Long featuresAsOf;

    /** Processing time. */
    public long processedAt;

    public Decision() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof Decision d
                && Objects.equals(decisionId, d.decisionId)
                && Objects.equals(outcome, d.outcome)
                && decidedAt == d.decidedAt
                && Objects.equals(reasons, d.reasons)
                && Objects.equals(customerKey, d.customerKey)
                && Objects.equals(flowId, d.flowId)
                && Objects.equals(variant, d.variant)
                && Objects.equals(deferredUntil, d.deferredUntil);
    }

    @Override
    public int hashCode() {
        return Objects.hash(decisionId, outcome, decidedAt);
    }

    @Override
    public String toString() {
        return "Decision{"
                + decisionId
                + " "
                + flowId
                + " "
                + customerKey
                + " "
                + outcome
                + " "
                + reasons
                + " @"
                + decidedAt
                + "}";
    }
}
