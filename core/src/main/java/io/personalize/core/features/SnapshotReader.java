package io.personalize.core.features;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a {@link CustomerFeatures} snapshot off a {@link CustomerState}. */
final class SnapshotReader implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FeatureConfig config;

    /**
     * The attribute score's features, weights and caps, sorted by name once (a fixed sum order).
     */
    private final String[] scoredFeatures;

    private final double[] scoreWeights;
    private final double[] scoreCaps;

    SnapshotReader(FeatureConfig config) {
        this.config = config;
        Map<String, Double> sorted = new TreeMap<>(config.attributeWeights());
        scoredFeatures = sorted.keySet().toArray(String[]::new);
        scoreWeights = new double[scoredFeatures.length];
        scoreCaps = new double[scoredFeatures.length];
        for (int i = 0; i < scoredFeatures.length; i++) {
            scoreWeights[i] = sorted.get(scoredFeatures[i]);
            scoreCaps[i] = config.attributeCaps().get(scoredFeatures[i]);
        }
    }

    CustomerFeatures read(CustomerState s, String customerKey, long asOf, long computedAt) {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = customerKey;
        f.customerId = s.customerId;
        f.anonymousId = s.anonymousId;
        f.asOf = asOf;
        f.computedAt = computedAt;
        readPurchases(s, asOf, f);
        f.productViews7d = s.productViews.count(asOf - FeatureEngine.D7, asOf);
        f.sessions7d =
                s.unsessionedWebEvents.startsAfterGap(
                                asOf - FeatureEngine.D7, asOf, config.sessionGap().toMillis())
                        + sessionsIn(s, asOf);
        f.addToCarts7d = s.addToCarts.count(asOf - FeatureEngine.D7, asOf);
        f.recentlyViewedProducts = recentViews(s, asOf);
        f.cartItems = CartLine.units(s.cart);
        f.cartValue = CartLine.value(s.cart);
        f.cartProductIds = productIds(s.cart);
        readEmail(s, asOf, f);
        readAffinity(s, asOf, f);
        f.age = age(s, asOf);
        f.loyaltyTier = s.loyaltyTier;
        f.country = s.country;
        f.timezone = s.timezone;
        f.emailConsent = emailConsent(s);
        f.lifecycleStage = lifecycleStage(s, asOf).label();
        f.attributeScore = attributeScore(f);
        f.suppressionReason = Suppression.reason(s);
        f.suppressed = String.valueOf(f.suppressionReason != null);
        f.suppressedAt = Suppression.at(s);
        f.softBounces = s.softBounces.size();
        return f;
    }

    /**
     * The latest consent by event time; without any consent information, the configured default
     * (unknown unless personalize.input.consent-default says otherwise).
     */
    private String emailConsent(CustomerState s) {
        Boolean consent = s.consentAt == Long.MIN_VALUE ? config.consentDefault() : s.emailConsent;
        return consent == null ? "unknown" : consent.toString();
    }

    private static void readPurchases(CustomerState s, long asOf, CustomerFeatures f) {
        f.lastPurchaseAt = s.lastPurchaseAt;
        f.firstPurchaseAt = s.firstPurchaseAt;
        f.daysSinceLastPurchase =
                s.lastPurchaseAt == null
                        ? null
                        : Math.floorDiv(asOf - s.lastPurchaseAt, FeatureEngine.DAY);
        f.orders7d = orders(s, asOf, FeatureEngine.D7);
        f.orders30d = orders(s, asOf, FeatureEngine.D30);
        f.orders60d = orders(s, asOf, FeatureEngine.D60);
        f.orders90d = orders(s, asOf, FeatureEngine.D90);
        f.lifetimeOrders = s.lifetimeOrders;
        f.revenue30d = revenue(s, asOf, FeatureEngine.D30);
        f.revenue90d = revenue(s, asOf, FeatureEngine.D90);
        f.lifetimeRevenue = Money.amount(s.lifetimeRevenueMicros);
        f.avgOrderValue = s.lifetimeOrders == 0 ? null : f.lifetimeRevenue / s.lifetimeOrders;
    }

    private static long sessionsIn(CustomerState s, long asOf) {
        long n = 0;
        for (var session : s.sessions) {
            if (inWindow(session.at, asOf, FeatureEngine.D7)) {
                n++;
            }
        }
        return n;
    }

    private static List<String> productIds(List<CartLine> cart) {
        String[] ids = new String[cart.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = cart.get(i).productId;
        }
        return java.util.Arrays.asList(ids);
    }

    private static boolean inWindow(long at, long asOf, long window) {
        return at <= asOf && asOf - at <= window;
    }

    private static long orders(CustomerState s, long asOf, long window) {
        long n = 0;
        for (OrderRecord order : s.orders) {
            if (!order.cancelled && inWindow(order.at, asOf, window)) {
                n++;
            }
        }
        return n;
    }

    /** Net revenue in the window, summed exactly in millionths; negative when more went out. */
    private static double revenue(CustomerState s, long asOf, long window) {
        long micros = 0;
        for (OrderRecord order : s.orders) {
            if (inWindow(order.at, asOf, window)) {
                micros += order.amountMicros;
            }
        }
        for (TimedValue adjustment : s.revenueAdjustments) {
            if (inWindow(adjustment.at, asOf, window)) {
                micros += (long) adjustment.value;
            }
        }
        return Money.amount(micros);
    }

    private static List<String> recentViews(CustomerState s, long asOf) {
        List<String> newestFirst = new ArrayList<>();
        for (int i = s.recentViews.size() - 1; i >= 0; i--) {
            TimedValue view = s.recentViews.get(i);
            if (inWindow(view.at, asOf, FeatureEngine.D7)) {
                newestFirst.add(view.key);
            }
        }
        return newestFirst;
    }

    private void readEmail(CustomerState s, long asOf, CustomerFeatures f) {
        long from = asOf - FeatureEngine.D30;
        f.emailsDelivered30d = s.emailsDelivered.count(from, asOf);
        f.emailOpens30d = s.emailOpens.count(from, asOf);
        f.emailClicks30d = s.emailClicks.count(from, asOf);
        f.emailOpenRate30d =
                f.emailsDelivered30d == 0
                        ? null
                        : Math.min(1.0, (double) f.emailOpens30d / f.emailsDelivered30d);
        f.emailClickRate30d =
                f.emailsDelivered30d == 0
                        ? null
                        : Math.min(1.0, (double) f.emailClicks30d / f.emailsDelivered30d);
        f.daysSinceLastOpen =
                s.lastOpenAt == null ? null : Math.floorDiv(asOf - s.lastOpenAt, FeatureEngine.DAY);
        double mass =
                s.engagementRef == Long.MIN_VALUE
                        ? 0.0
                        : Decay.decayed(
                                s.engagementMass,
                                asOf - s.engagementRef,
                                config.engagementHalfLife().toMillis());
        f.engagementScore = 1.0 - Math.exp(-mass);
    }

    /** Shares of decayed interest per category (summing to 1) and the top three. */
    private void readAffinity(CustomerState s, long asOf, CustomerFeatures f) {
        Map<String, Double> shares = new TreeMap<>(s.affinityMass);
        // Summed in category order, not the state's: a HashMap's order depends on its history (a
        // state read back from a checkpoint or RocksDB has another), and a sum's last bits on its
        // order; the shares must be the same in every run.
        double sum = 0.0;
        for (double mass : shares.values()) {
            sum += mass;
        }
        double total = sum;
        if (total > 0) {
            shares.replaceAll((category, mass) -> mass / total);
        } else {
            shares.clear();
        }
        f.categoryAffinity = shares;
        f.topCategories = topThree(shares);
    }

    /** The three largest shares' categories, ties by category (the map is in category order). */
    private static List<String> topThree(Map<String, Double> shares) {
        String[] top = new String[3];
        double[] value = new double[3];
        int n = 0;
        for (Map.Entry<String, Double> e : shares.entrySet()) {
            double v = e.getValue();
            int at = n;
            while (at > 0 && v > value[at - 1]) { // strictly larger: an earlier key wins a tie
                at--;
            }
            if (at >= 3) {
                continue;
            }
            for (int i = Math.min(n, 2); i > at; i--) {
                top[i] = top[i - 1];
                value[i] = value[i - 1];
            }
            top[at] = e.getKey();
            value[at] = v;
            n = Math.min(n + 1, 3);
        }
        return List.of(java.util.Arrays.copyOf(top, n));
    }

    /** The last birth date parsed; immutable, so threads may share it. */
    private record ParsedDate(String text, LocalDate date) {}

    private static volatile ParsedDate lastBirthDate = new ParsedDate("", LocalDate.EPOCH);

    /**
     * A birth date parsed, remembering the last one: one customer's features are read many times in
     * a row (each event, each timer), so this saves parsing the same text again.
     *
     * @throws DateTimeParseException when the text is not an ISO date
     */
    static LocalDate birthDate(String text) {
        ParsedDate last = lastBirthDate;
        if (!last.text().equals(text)) {
            last = new ParsedDate(text, LocalDate.parse(text));
            lastBirthDate = last;
        }
        return last.date();
    }

    static Long age(CustomerState s, long asOf) {
        if (s.birthDate == null && s.birthYear == null) {
            return null;
        }
        LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(asOf, FeatureEngine.DAY)); // UTC
        if (s.birthDate != null) {
            try {
                return (long) Period.between(birthDate(s.birthDate), today).getYears();
            } catch (DateTimeParseException e) {
                // an unreadable birth date: fall back to the birth year
            }
        }
        return s.birthYear == null ? null : (long) (today.getYear() - s.birthYear);
    }

    LifecycleStage lifecycleStage(CustomerState s, long asOf) {
        if (s.lastPurchaseAt == null) {
            return LifecycleStage.NEVER_PURCHASED;
        }
        long sinceLast = asOf - s.lastPurchaseAt;
        if (sinceLast > config.lapsedAfter().toMillis()) {
            return LifecycleStage.LAPSED;
        }
        if (sinceLast > config.atRiskAfter().toMillis()) {
            return LifecycleStage.AT_RISK;
        }
        if (asOf - s.firstPurchaseAt <= config.newCustomerWindow().toMillis()) {
            return LifecycleStage.NEW;
        }
        return LifecycleStage.ACTIVE;
    }

    /** Weighted mean of the configured features, each normalised by its cap to [0, 1]. */
    private Double attributeScore(CustomerFeatures f) {
        if (scoredFeatures.length == 0) {
            return null;
        }
        double weighted = 0.0;
        double weights = 0.0;
        for (int i = 0; i < scoredFeatures.length; i++) {
            Object value = FeatureRegistry.standard().value(scoredFeatures[i], f);
            double normalised =
                    value instanceof Number number
                            ? Math.max(0.0, Math.min(1.0, number.doubleValue() / scoreCaps[i]))
                            : 0.0;
            weighted += scoreWeights[i] * normalised;
            weights += scoreWeights[i];
        }
        return weights == 0.0 ? null : weighted / weights;
    }
}
