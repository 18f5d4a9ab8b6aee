package io.personalize.core.features;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One customer's features as of an event time: what segments, patterns, models and flows read, and
 * one row of the feature tables. Field meanings are in {@link FeatureRegistry} (and
 * docs/features.md, generated from it). A Flink POJO.
 */
public class CustomerFeatures implements Cloneable {
    public String customerKey;

    /**
     * Not a moment but the marker that the customer was erased: later stages forget what they hold
     * of {@link #customerKey} and write nothing of it. Only {@link #customerKey} and {@link #asOf}
     * are set.
     */
    public boolean erased;

    public String customerId;
    public String anonymousId;

    /** Event time the values hold for. */
    public long asOf;

    /** Processing time they were computed. */
    public long computedAt;

    public Long lastPurchaseAt;
    public Long firstPurchaseAt;
    public Long daysSinceLastPurchase;
    public long orders7d;
    public long orders30d;
    public long orders60d;
    public long orders90d;
    public long lifetimeOrders;
    public double revenue30d;
    public double revenue90d;
    public double lifetimeRevenue;
    public Double avgOrderValue;

    public long productViews7d;
    public long sessions7d;
    public long addToCarts7d;
    public List<String> recentlyViewedProducts;

    public long cartItems;
    public double cartValue;
    public List<String> cartProductIds;

    public long emailsDelivered30d;
    public long emailOpens30d;
    public long emailClicks30d;
    public Double emailOpenRate30d;
    public Double emailClickRate30d;
    public Long daysSinceLastOpen;
    public double engagementScore;

    public Map<String, Double> categoryAffinity;
    public List<String> topCategories;

    public Long age;
    public String loyaltyTier;
    public String country;
    public String timezone;
    public String emailConsent;

    public String lifecycleStage;
    public Double attributeScore;

    /** {@code true} / {@code false}: the address is suppressed for every flow. */
    public String suppressed;

    public String suppressionReason;
    public Long suppressedAt;
    public long softBounces;

    /**
     * Ids of the segments the customer is a member of (sorted), set by the segment stage; not a
     * feature (rules cannot read it: they use {@code in_segment}). Null before segments ran.
     */
    public List<String> segments;

    /**
     * The segments entered and left at this moment, in the order evaluated, for the decision stage
     * that reads them with the features they were decided on; not a feature and not written to the
     * feature tables. Null when none.
     */
    public List<io.personalize.core.segments.SegmentChange> segmentChanges;

    public CustomerFeatures() {}

    /** The marker that {@code customerKey} was erased at {@code at} (see {@link #erased}). */
    public static CustomerFeatures erasedMarker(String customerKey, long at) {
        CustomerFeatures marker = new CustomerFeatures();
        marker.customerKey = customerKey;
        marker.asOf = at;
        marker.erased = true;
        return marker;
    }

    /**
     * A copy sharing every value with this one (lists and maps too): for a stage that adds to a
     * moment it was handed, which other consumers may still hold (object reuse), by replacing a
     * field of the copy, never changing a shared value.
     */
    public CustomerFeatures shallowCopy() {
        try {
            return (CustomerFeatures) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Equal in every feature; {@code computedAt} (processing time) is ignored. */
    public boolean sameFeatures(CustomerFeatures o) {
        return Objects.equals(customerKey, o.customerKey)
                && asOf == o.asOf
                && Objects.equals(withoutProcessingTime(), o.withoutProcessingTime());
    }

    private List<Object> withoutProcessingTime() {
        return java.util.Arrays.asList(
                customerId,
                anonymousId,
                lastPurchaseAt,
                firstPurchaseAt,
                daysSinceLastPurchase,
                orders7d,
                orders30d,
                orders60d,
                orders90d,
                lifetimeOrders,
                revenue30d,
                revenue90d,
                lifetimeRevenue,
                avgOrderValue,
                productViews7d,
                sessions7d,
                addToCarts7d,
                recentlyViewedProducts,
                cartItems,
                cartValue,
                cartProductIds,
                emailsDelivered30d,
                emailOpens30d,
                emailClicks30d,
                emailOpenRate30d,
                emailClickRate30d,
                daysSinceLastOpen,
                engagementScore,
                categoryAffinity,
                topCategories,
                age,
                loyaltyTier,
                country,
                timezone,
                emailConsent,
                lifecycleStage,
                attributeScore,
                suppressed,
                suppressionReason,
                suppressedAt,
                softBounces,
                segments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustomerFeatures other
                && computedAt == other.computedAt
                && sameFeatures(other);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerKey, asOf);
    }

    @Override
    public String toString() {
        return "CustomerFeatures{" + customerKey + " @" + asOf + " stage=" + lifecycleStage + "}";
    }
}
