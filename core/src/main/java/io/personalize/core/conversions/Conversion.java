package io.personalize.core.conversions;

import java.util.Objects;

/**
 * What a decision achieved: a purchase attributed to it (within the attribution window), or an
 * email open or click that carries its decision id. One row of the {@code conversions} table. A
 * Flink POJO.
 */
public class Conversion {
    public static final String PURCHASE = "purchase";
    public static final String OPEN = "open";
    public static final String CLICK = "click";

    /** Deterministic: decision id and event id. */
    public String conversionId;

    public String decisionId;
    public String customerKey;
    public String customerId;

    /** Null when an open or click names a decision this job no longer remembers. */
    public String flowId;

    public String experimentId;
    public String variant;

    /** The decision's outcome: {@code to_send} or {@code held_out}. */
    public String decisionOutcome;

    /** {@link #PURCHASE}, {@link #OPEN} or {@link #CLICK}. */
    public String kind;

    /** How a purchase was attributed: {@code last} or {@code first}; {@code decision_id} else. */
    public String attribution;

    public String eventId;
    public String orderId;

    /** Order total for purchases; null else. */
    public Double revenue;

    public String currency;

    /** Event time of the decision (null when unknown). */
    public Long decidedAt;

    /** Event time of the purchase, open or click. */
    public long convertedAt;

    /** Processing time. */
    public long processedAt;

    public Conversion() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof Conversion c
                && Objects.equals(conversionId, c.conversionId)
                && Objects.equals(decisionId, c.decisionId)
                && Objects.equals(kind, c.kind)
                && Objects.equals(revenue, c.revenue)
                && convertedAt == c.convertedAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(conversionId, decisionId, kind);
    }

    @Override
    public String toString() {
        return "Conversion{" + kind + " " + eventId + " -> " + decisionId + " " + flowId + "}";
    }
}
