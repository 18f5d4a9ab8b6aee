package io.personalize.core.features;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the features of one customer are computed from: compact (exact times for orders,
 * minute-merged times for busy counters, bounded lists), and a Flink POJO so it lives in keyed
 * state without Kryo. Only {@link FeatureEngine} changes it.
 */
public class CustomerState {
    public String customerId;
    public String anonymousId;

    /** The latest event time applied (an event or a timer); {@link Long#MIN_VALUE} when new. */
    public long clock = Long.MIN_VALUE;

    // purchases
    public List<OrderRecord> orders = new ArrayList<>();
    public List<TimedValue> revenueAdjustments = new ArrayList<>();
    public long lifetimeOrders;
    public double lifetimeRevenue;
    public Long firstPurchaseAt;
    public Long lastPurchaseAt;

    // browsing
    public TimeSeries productViews = new TimeSeries();

    /** Starts of sessions without a session id (found by the inactivity gap). */
    public TimeSeries sessionStarts = new TimeSeries();

    /** Sessions with an id: the id and the earliest event time seen of it, last 7 days. */
    public List<TimedValue> sessions = new ArrayList<>();

    public TimeSeries addToCarts = new TimeSeries();
    public Long lastWebEventAt;

    /** Newest last; distinct products; at most {@link FeatureEngine#MAX_RECENT_VIEWS}. */
    public List<TimedValue> recentViews = new ArrayList<>();

    public List<CartLine> cart = new ArrayList<>();

    /** When an order without items last emptied the cart: a cart add from before is stale. */
    public Long cartClearedAt;

    /** Products bought in the last day, with when: a late cart add from before is stale. */
    public List<TimedValue> recentPurchases = new ArrayList<>();

    /**
     * Distinct products ever bought, newest last, at most {@link
     * FeatureEngine#MAX_BOUGHT_PRODUCTS}: recommendations leave them out.
     */
    public List<TimedValue> boughtProducts = new ArrayList<>();

    /** Removals of the last day that found nothing to remove: a late add from before meets them. */
    public List<TimedValue> pendingRemovals = new ArrayList<>();

    // email
    public TimeSeries emailsDelivered = new TimeSeries();
    public TimeSeries emailOpens = new TimeSeries();
    public TimeSeries emailClicks = new TimeSeries();
    public Long lastOpenAt;
    public double engagementMass;
    public long engagementRef = Long.MIN_VALUE;

    // affinities: decayed interest per category, all decayed to affinityRef
    public Map<String, Double> affinityMass = new HashMap<>();
    public long affinityRef = Long.MIN_VALUE;

    // profile and consent (latest by event time, per field)
    public String birthDate;
    public long birthDateAt = Long.MIN_VALUE;
    public Integer birthYear;
    public long birthYearAt = Long.MIN_VALUE;
    public String loyaltyTier;
    public long loyaltyTierAt = Long.MIN_VALUE;
    public String country;
    public long countryAt = Long.MIN_VALUE;
    public String timezone;
    public long timezoneAt = Long.MIN_VALUE;
    public Boolean emailConsent;
    public long consentAt = Long.MIN_VALUE;

    public CustomerState() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CustomerState s)) {
            return false;
        }
        return clock == s.clock
                && lifetimeOrders == s.lifetimeOrders
                && Double.compare(lifetimeRevenue, s.lifetimeRevenue) == 0
                && Objects.equals(customerId, s.customerId)
                && Objects.equals(anonymousId, s.anonymousId)
                && Objects.equals(orders, s.orders)
                && Objects.equals(revenueAdjustments, s.revenueAdjustments)
                && Objects.equals(firstPurchaseAt, s.firstPurchaseAt)
                && Objects.equals(lastPurchaseAt, s.lastPurchaseAt)
                && Objects.equals(productViews, s.productViews)
                && Objects.equals(sessionStarts, s.sessionStarts)
                && Objects.equals(addToCarts, s.addToCarts)
                && Objects.equals(sessions, s.sessions)
                && Objects.equals(cartClearedAt, s.cartClearedAt)
                && Objects.equals(recentPurchases, s.recentPurchases)
                && Objects.equals(pendingRemovals, s.pendingRemovals)
                && Objects.equals(boughtProducts, s.boughtProducts)
                && Objects.equals(lastWebEventAt, s.lastWebEventAt)
                && Objects.equals(recentViews, s.recentViews)
                && Objects.equals(cart, s.cart)
                && Objects.equals(emailsDelivered, s.emailsDelivered)
                && Objects.equals(emailOpens, s.emailOpens)
                && Objects.equals(emailClicks, s.emailClicks)
                && Objects.equals(lastOpenAt, s.lastOpenAt)
                && Double.compare(engagementMass, s.engagementMass) == 0
                && engagementRef == s.engagementRef
                && Objects.equals(affinityMass, s.affinityMass)
                && affinityRef == s.affinityRef
                && Objects.equals(birthDate, s.birthDate)
                && birthDateAt == s.birthDateAt
                && Objects.equals(birthYear, s.birthYear)
                && birthYearAt == s.birthYearAt
                && Objects.equals(loyaltyTier, s.loyaltyTier)
                && loyaltyTierAt == s.loyaltyTierAt
                && Objects.equals(country, s.country)
                && countryAt == s.countryAt
                && Objects.equals(timezone, s.timezone)
                && timezoneAt == s.timezoneAt
                && Objects.equals(emailConsent, s.emailConsent)
                && consentAt == s.consentAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerId, anonymousId, clock, lifetimeOrders);
    }
}
