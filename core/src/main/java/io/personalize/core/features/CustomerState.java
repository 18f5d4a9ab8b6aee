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
    /** Orders of the last 90 days, for the windowed counts and sums. */
    public List<OrderRecord> orders = new ArrayList<>();

    /**
     * Take-backs of the last 90 days that match no order seen (value: the negative amount in
     * millionths; key: the order id, so the order absorbs them if it arrives later).
     */
    public List<TimedValue> revenueAdjustments = new ArrayList<>();

    /** Every order id of the order horizon: lifetime_orders never counts one twice. */
    public OrderMemory orderMemory = new OrderMemory();

    public long lifetimeOrders;

    /** Signed sum of every amount in and out, in millionths ({@link Money}). */
    public long lifetimeRevenueMicros;

    public Long firstPurchaseAt;
    public Long lastPurchaseAt;

    // browsing
    public TimeSeries productViews = new TimeSeries();

    /**
     * Web events without a session id (minute-merged): their sessions are found at read time by the
     * inactivity gap, so they do not depend on arrival order. Last 7 days plus one gap.
     */
    public TimeSeries unsessionedWebEvents = new TimeSeries();

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

    // suppression of the address
    /**
     * The keyed hash of the customer's e-mail address (latest by event time), never the address.
     */
    public String emailHash;

    public long emailHashAt = Long.MIN_VALUE;

    /** The earliest hard bounce, complaint or soft-bounce run: the reason; null when none. */
    public String suppressedReason;

    /** ... and its event time. */
    public Long suppressedAt;

    /** The latest delivery: soft bounces count from it. */
    public Long lastDeliveredAt;

    /**
     * Soft bounces after {@link #lastDeliveredAt}, sorted, the latest ones only (at most the
     * threshold).
     */
    public List<Long> softBounces = new ArrayList<>();

    /**
     * When the customer's address was found on the suppression list that serves (event time, the
     * customer's clock then); null while it is not on it. Set by the customer stage.
     */
    public Long listedAt;

    /**
     * Declared profile attributes by feature name: the latest value by event time and when it was
     * set. Null when none is declared or set.
     */
    public Map<String, DeclaredValue> declaredProfile;

    /**
     * Declared windowed features by name: the matching events still in the window (their time and
     * value). Null when none is declared or matched.
     */
    public Map<String, DeclaredWindow> declaredWindows;

    public CustomerState() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CustomerState s)) {
            return false;
        }
        return clock == s.clock
                && lifetimeOrders == s.lifetimeOrders
                && lifetimeRevenueMicros == s.lifetimeRevenueMicros
                && Objects.equals(orderMemory, s.orderMemory)
                && Objects.equals(customerId, s.customerId)
                && Objects.equals(anonymousId, s.anonymousId)
                && Objects.equals(orders, s.orders)
                && Objects.equals(revenueAdjustments, s.revenueAdjustments)
                && Objects.equals(firstPurchaseAt, s.firstPurchaseAt)
                && Objects.equals(lastPurchaseAt, s.lastPurchaseAt)
                && Objects.equals(productViews, s.productViews)
                && Objects.equals(unsessionedWebEvents, s.unsessionedWebEvents)
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
                && consentAt == s.consentAt
                && Objects.equals(emailHash, s.emailHash)
                && emailHashAt == s.emailHashAt
                && Objects.equals(suppressedReason, s.suppressedReason)
                && Objects.equals(suppressedAt, s.suppressedAt)
                && Objects.equals(lastDeliveredAt, s.lastDeliveredAt)
                && Objects.equals(softBounces, s.softBounces)
                && Objects.equals(listedAt, s.listedAt)
                && Objects.equals(declaredProfile, s.declaredProfile)
                && Objects.equals(declaredWindows, s.declaredWindows);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerId, anonymousId, clock, lifetimeOrders);
    }
}
