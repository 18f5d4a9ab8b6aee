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
     * Declared features (personalize.features.declared) by name, one map per storage type: numbers
     * (counts, sums, number attributes), strings, booleans, string lists and times (epoch ms). Null
     * when the deployment declares none, or none of that type has a value.
     */
    public Map<String, Double> declaredNumbers;

    public Map<String, String> declaredStrings;
    public Map<String, Boolean> declaredBooleans;
    public Map<String, StringList> declaredLists;
    public Map<String, Long> declaredTimes;

    /**
     * Declared features whose value is older than their max age at {@link #asOf}: unknown to rules
     * and imputed by models. Null when none.
     */
    public List<String> staleFeatures;

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

    /** The declared feature's value ({@code null} when missing), from the map of its type. */
    public Object declared(String name, FeatureType type) {
        Map<String, ?> values = declaredMap(type);
        Object value = values == null ? null : values.get(name);
        if (type == FeatureType.LONG && value instanceof Double d) {
            return d.longValue();
        }
        if (value instanceof StringList list) {
            return list.items;
        }
        return value;
    }

    /** Sets a declared feature's value in the map of its type (a null value is not kept). */
    @SuppressWarnings("unchecked")
    public void putDeclared(String name, FeatureType type, Object value) {
        if (value == null) {
            return;
        }
        switch (type) {
            case LONG, DOUBLE -> {
                if (declaredNumbers == null) {
                    declaredNumbers = new java.util.TreeMap<>();
                }
                declaredNumbers.put(name, ((Number) value).doubleValue());
            }
            case STRING -> {
                if (declaredStrings == null) {
                    declaredStrings = new java.util.TreeMap<>();
                }
                declaredStrings.put(name, (String) value);
            }
            case BOOLEAN -> {
                if (declaredBooleans == null) {
                    declaredBooleans = new java.util.TreeMap<>();
                }
                declaredBooleans.put(name, (Boolean) value);
            }
            case STRING_LIST -> {
                if (declaredLists == null) {
                    declaredLists = new java.util.TreeMap<>();
                }
                declaredLists.put(name, new StringList((List<String>) value));
            }
            case TIMESTAMP -> {
                if (declaredTimes == null) {
                    declaredTimes = new java.util.TreeMap<>();
                }
                declaredTimes.put(name, ((Number) value).longValue());
            }
            default -> throw new IllegalArgumentException("no declared feature of type " + type);
        }
    }

    private Map<String, ?> declaredMap(FeatureType type) {
        return switch (type) {
            case LONG, DOUBLE -> declaredNumbers;
            case STRING -> declaredStrings;
            case BOOLEAN -> declaredBooleans;
            case STRING_LIST -> declaredLists;
            case TIMESTAMP -> declaredTimes;
            default -> null;
        };
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
                declaredNumbers,
                declaredStrings,
                declaredBooleans,
                declaredLists,
                declaredTimes,
                staleFeatures,
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
