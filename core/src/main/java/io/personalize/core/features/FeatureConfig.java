package io.personalize.core.features;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * The tunable parts of the feature definitions: lifecycle thresholds, decay half-lives, the session
 * gap, the weighted attribute score (weight and normalisation cap per feature), and the order
 * horizon: how long after an order's latest event its id is remembered, so that a late line of it
 * is not counted as another order; and the consent default: {@code email_consent} of a customer
 * whose events carry no consent information (null: unknown); and the soft-bounce threshold: soft
 * bounces in a row (no delivery between them) that suppress the address.
 */
public record FeatureConfig(
        Duration newCustomerWindow,
        Duration atRiskAfter,
        Duration lapsedAfter,
        Duration engagementHalfLife,
        Duration affinityHalfLife,
        Duration sessionGap,
        Map<String, Double> attributeWeights,
        Map<String, Double> attributeCaps,
        Duration orderHorizon,
        Boolean consentDefault,
        int softBounceThreshold)
        implements Serializable {

    /** Soft bounces in a row (no delivery between them) that suppress the address by default. */
    public static final int DEFAULT_SOFT_BOUNCE_THRESHOLD = 3;

    /** The longest order window (orders_90d, revenue_90d): the horizon is at least this. */
    public static final Duration LONGEST_ORDER_WINDOW = Duration.ofDays(90);

    /** The default order horizon: longer than the default event retention (90 d). */
    public static final Duration DEFAULT_ORDER_HORIZON = Duration.ofDays(400);

    /** Without a consent default: a customer without consent information is unknown. */
    public FeatureConfig(
            Duration newCustomerWindow,
            Duration atRiskAfter,
            Duration lapsedAfter,
            Duration engagementHalfLife,
            Duration affinityHalfLife,
            Duration sessionGap,
            Map<String, Double> attributeWeights,
            Map<String, Double> attributeCaps,
            Duration orderHorizon) {
        this(
                newCustomerWindow,
                atRiskAfter,
                lapsedAfter,
                engagementHalfLife,
                affinityHalfLife,
                sessionGap,
                attributeWeights,
                attributeCaps,
                orderHorizon,
                null);
    }

    /** With the default soft-bounce threshold. */
    public FeatureConfig(
            Duration newCustomerWindow,
            Duration atRiskAfter,
            Duration lapsedAfter,
            Duration engagementHalfLife,
            Duration affinityHalfLife,
            Duration sessionGap,
            Map<String, Double> attributeWeights,
            Map<String, Double> attributeCaps,
            Duration orderHorizon,
            Boolean consentDefault) {
        this(
                newCustomerWindow,
                atRiskAfter,
                lapsedAfter,
                engagementHalfLife,
                affinityHalfLife,
                sessionGap,
                attributeWeights,
                attributeCaps,
                orderHorizon,
                consentDefault,
                DEFAULT_SOFT_BOUNCE_THRESHOLD);
    }

    public FeatureConfig {
        attributeWeights = Map.copyOf(attributeWeights);
        attributeCaps = Map.copyOf(attributeCaps);
        if (!(newCustomerWindow.toMillis() > 0
                && atRiskAfter.toMillis() > 0
                && lapsedAfter.compareTo(atRiskAfter) > 0)) {
            throw new IllegalArgumentException(
                    "lifecycle thresholds must be positive and lapsed-after > at-risk-after");
        }
        if (orderHorizon.compareTo(LONGEST_ORDER_WINDOW) < 0) {
            throw new IllegalArgumentException(
                    "the order horizon must be at least 90 d (the longest order window), not "
                            + orderHorizon);
        }
        if (softBounceThreshold < 1) {
            throw new IllegalArgumentException(
                    "the soft-bounce threshold must be at least 1, not " + softBounceThreshold);
        }
        for (String feature : attributeWeights.keySet()) {
            if (!attributeCaps.containsKey(feature) || attributeCaps.get(feature) <= 0) {
                throw new IllegalArgumentException(
                        "attribute score: feature " + feature + " needs a positive cap");
            }
        }
    }

    /**
     * New for 30 days after the first purchase; at risk after 60 days without one; lapsed after
     * 120; order ids remembered for 400 days.
     */
    public static FeatureConfig defaults() {
        return new FeatureConfig(
                Duration.ofDays(30),
                Duration.ofDays(60),
                Duration.ofDays(120),
                Duration.ofDays(30),
                Duration.ofDays(30),
                Duration.ofMinutes(30),
                Map.of("orders_90d", 0.3, "revenue_90d", 0.4, "engagement_score", 0.3),
                Map.of("orders_90d", 10.0, "revenue_90d", 1000.0, "engagement_score", 1.0),
                DEFAULT_ORDER_HORIZON);
    }
}
