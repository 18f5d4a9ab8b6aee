package io.personalize.core.features;

import io.personalize.core.events.Event;
import io.personalize.core.events.LineItem;
import io.personalize.core.features.declared.DeclaredFeatures;
import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Computes customer features: {@link #apply} folds an event into a {@link CustomerState}, {@link
 * #advanceTo} moves its clock (expiring what left the windows), {@link #nextChangeAt} says when a
 * windowed value or the lifecycle stage changes next without any new event, and {@link #snapshot}
 * reads the features as of the clock. Plain Java: the Flink function is a thin shell around it.
 *
 * <p>Windows are inclusive: an event at {@code t} is in a window of length {@code W} while {@code
 * asOf - t <= W}, so it drops out at exactly {@code t + W + 1 ms}. Orders and sessions keep exact
 * times; views, cart adds and email events are merged to the clock minute (a count may drop up to a
 * minute after the exact moment, never before).
 *
 * <p>Events are applied as they arrive, and every feature but the open cart comes out the same in
 * any arrival order: counts and sums are of sets (orders by id, remembered for the order horizon in
 * {@link OrderMemory}; amounts summed exactly in millionths), sessions without ids are found at
 * read time, latest-by-event-time values break ties by a fixed rule, and decayed scores are equal
 * up to floating-point rounding. The cart ignores an add that arrives after a later purchase of the
 * product and applies a removal that arrived before its add, but adds, removals and purchases do
 * not commute in general; and a 21st affinity category evicts the weakest one at its arrival.
 */
public final class FeatureEngine implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int MAX_RECENT_VIEWS = 50;

    /** Products bought that a customer's state remembers (for recommendations). */
    public static final int MAX_BOUGHT_PRODUCTS = 100;

    static final int MAX_AFFINITY_CATEGORIES = 20;
    static final long MINUTE = Duration.ofMinutes(1).toMillis();
    static final long DAY = Duration.ofDays(1).toMillis();
    static final long D7 = 7 * DAY;
    static final long D30 = 30 * DAY;
    static final long D60 = 60 * DAY;
    static final long D90 = 90 * DAY;
    static final long[] ORDER_WINDOWS = {D7, D30, D60, D90};
    static final long[] REVENUE_WINDOWS = {D30, D90};
    private static final long[] ONLY_D7 = {D7};

    private final FeatureConfig config;
    private final StateUpdates updates;
    private final SnapshotReader reader;
    private final DeclaredFeatures declared;

    public FeatureEngine(FeatureConfig config) {
        this(config, DeclaredFeatures.none());
    }

    /** With a deployment's declared features, computed besides the built-in ones. */
    public FeatureEngine(FeatureConfig config, DeclaredFeatures declared) {
        this.config = config;
        this.updates = new StateUpdates(config);
        this.reader = new SnapshotReader(config);
        this.declared = declared;
    }

    public FeatureConfig config() {
        return config;
    }

    /** The declared features it computes ({@link DeclaredFeatures#none()} when none). */
    public DeclaredFeatures declared() {
        return declared;
    }

    /**
     * This engine computing {@code next} as its declared features instead (a declared-features file
     * changed while the job runs): a windowed aggregate {@code next} adds starts empty, and the
     * values of features it no longer declares leave a state at its next {@link #advanceTo}.
     */
    public FeatureEngine withDeclared(DeclaredFeatures next) {
        return new FeatureEngine(config, next);
    }

    /** Folds one event in; the clock moves to the event's time when that is later. */
    public void apply(CustomerState state, Event event) {
        if (state.customerId == null) {
            state.customerId = event.customerId;
        }
        if (state.anonymousId == null) {
            state.anonymousId = event.anonymousId;
        }
        updates.apply(state, event);
        declared.apply(state, event);
        advanceTo(state, event.occurredAt);
    }

    /** Moves the clock forward (never back) and forgets what no window needs any more. */
    public void advanceTo(CustomerState state, long time) {
        if (time <= state.clock) {
            return;
        }
        state.clock = time;
        long cutoff90 = time - D90;
        state.orders.removeIf(order -> order.at < cutoff90);
        state.revenueAdjustments.removeIf(adjustment -> adjustment.at < cutoff90);
        state.orderMemory.forgetBefore(time - config.orderHorizon().toMillis());
        state.productViews.dropBefore(time - D7);
        state.unsessionedWebEvents.dropBefore(time - D7 - config.sessionGap().toMillis());
        state.sessions.removeIf(session -> session.at < time - D7);
        state.recentPurchases.removeIf(purchase -> purchase.at < time - DAY);
        state.pendingRemovals.removeIf(removal -> removal.at < time - DAY);
        state.addToCarts.dropBefore(time - D7);
        state.recentViews.removeIf(view -> view.at < time - D7);
        state.emailsDelivered.dropBefore(time - D30);
        state.emailOpens.dropBefore(time - D30);
        state.emailClicks.dropBefore(time - D30);
        if (state.declaredWindows != null || state.declaredProfile != null) {
            declared.forgetBefore(state, time);
        }
    }

    /** The features as of the state's clock. */
    public CustomerFeatures snapshot(CustomerState state, String customerKey, long computedAt) {
        CustomerFeatures features = reader.read(state, customerKey, state.clock, computedAt);
        declared.read(state, features, state.clock);
        return features;
    }

    /**
     * The first moment after the clock at which some feature changes without a new event: a
     * windowed count or sum losing its oldest entry, or a lifecycle threshold being crossed. {@link
     * Long#MAX_VALUE} when nothing is pending.
     */
    public long nextChangeAt(CustomerState state) {
        return nextChangeAt(state, Watch.EVERYTHING);
    }

    /**
     * Like {@link #nextChangeAt(CustomerState)}, but only for changes of the watched features: the
     * first moment after the clock at which one of them changes without a new event. A consumer
     * that reads a few features (segment rules) need not look at the others' expiries.
     */
    public long nextChangeAt(CustomerState state, Watch watch) {
        long asOf = state.clock;
        long next = Long.MAX_VALUE;
        for (OrderRecord order : state.orders) {
            if (!order.cancelled) {
                next = Math.min(next, expiry(order.at, asOf, watch.orderWindows));
            }
            if (order.amountMicros != 0) { // a cancelled order is in the revenue sums only
                next = Math.min(next, expiry(order.at, asOf, watch.revenueWindows));
            }
        }
        for (TimedValue adjustment : state.revenueAdjustments) {
            next = Math.min(next, expiry(adjustment.at, asOf, watch.revenueWindows));
        }
        if (watch.productViews) {
            next = Math.min(next, state.productViews.nextExpiry(asOf, D7));
        }
        if (watch.sessions) {
            next =
                    Math.min(
                            next,
                            state.unsessionedWebEvents.nextStartExpiry(
                                    asOf, D7, config.sessionGap().toMillis()));
            for (TimedValue session : state.sessions) {
                next = Math.min(next, expiry(session.at, asOf, ONLY_D7));
            }
        }
        if (watch.addToCarts) {
            next = Math.min(next, state.addToCarts.nextExpiry(asOf, D7));
        }
        if (watch.recentViews) {
            for (TimedValue view : state.recentViews) {
                next = Math.min(next, expiry(view.at, asOf, ONLY_D7));
            }
        }
        if (watch.emailsDelivered) {
            next = Math.min(next, state.emailsDelivered.nextExpiry(asOf, D30));
        }
        if (watch.emailOpens) {
            next = Math.min(next, state.emailOpens.nextExpiry(asOf, D30));
        }
        if (watch.emailClicks) {
            next = Math.min(next, state.emailClicks.nextExpiry(asOf, D30));
        }
        if (watch.lifecycle) {
            next = Math.min(next, lifecycleChange(state, asOf));
        }
        if (watch.declared) {
            next = Math.min(next, declared.nextChangeAt(state, asOf));
        }
        return next;
    }

    /**
     * A set of features whose changes {@link #nextChangeAt(CustomerState, Watch)} looks for,
     * prepared once (e.g. when a rule set is loaded).
     */
    public static final class Watch implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Every feature. */
        static final Watch EVERYTHING = new Watch(null);

        private final long[] orderWindows;
        private final long[] revenueWindows;
        private final boolean productViews;
        private final boolean sessions;
        private final boolean addToCarts;
        private final boolean recentViews;
        private final boolean emailsDelivered;
        private final boolean emailOpens;
        private final boolean emailClicks;
        private final boolean lifecycle;
        private final boolean declared;

        /**
         * @param names the features; null, one with configurable inputs, or a declared one (a
         *     derived feature may read any other), for every feature
         */
        private Watch(Set<String> names) {
            Set<String> f =
                    names == null
                                    || names.contains("attribute_score")
                                    || names.stream().anyMatch(Watch::notBuiltIn)
                            ? null
                            : names;
            this.declared = f == null;
            boolean rates = watches(f, "email_open_rate_30d") || watches(f, "email_click_rate_30d");
            this.orderWindows = windows(f, ORDER_WINDOWS, "orders_");
            this.revenueWindows = windows(f, REVENUE_WINDOWS, "revenue_");
            this.productViews = watches(f, "product_views_7d");
            this.sessions = watches(f, "sessions_7d");
            this.addToCarts = watches(f, "add_to_carts_7d");
            this.recentViews = watches(f, "recently_viewed_products");
            this.emailsDelivered = rates || watches(f, "emails_delivered_30d");
            this.emailOpens = rates || watches(f, "email_opens_30d");
            this.emailClicks = rates || watches(f, "email_clicks_30d");
            this.lifecycle = watches(f, "lifecycle_stage");
        }

        private static boolean notBuiltIn(String name) {
            return !"as_of".equals(name) && FeatureRegistry.standard().get(name).isEmpty();
        }

        private static boolean watches(Set<String> features, String name) {
            return features == null || features.contains(name);
        }

        /** The windows (of {@code windows}) whose feature {@code prefix + days + "d"} is named. */
        private static long[] windows(Set<String> features, long[] windows, String prefix) {
            return java.util.Arrays.stream(windows)
                    .filter(w -> watches(features, prefix + (w / DAY) + "d"))
                    .toArray();
        }
    }

    /** Prepares a {@link Watch} of the named features. */
    public static Watch watch(Set<String> features) {
        return new Watch(features);
    }

    /**
     * When {@code age} next changes after the clock: the start (UTC) of the next birthday, or of
     * the next year when only the birth year is known. {@link Long#MAX_VALUE} when age is unknown.
     * Not part of {@link #nextChangeAt}: only rules that read age need it.
     */
    public long nextAgeChangeAt(CustomerState state) {
        Long age = SnapshotReader.age(state, state.clock);
        if (age == null) {
            return Long.MAX_VALUE;
        }
        LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(state.clock, DAY)); // UTC
        LocalDate birth = null;
        try {
            birth = state.birthDate == null ? null : SnapshotReader.birthDate(state.birthDate);
        } catch (DateTimeParseException e) {
            // the birth year decides; see SnapshotReader.age
        }
        if (birth == null) {
            return startOf(LocalDate.of(today.getYear() + 1, 1, 1));
        }
        // the next birthday, or the day after it (29 February in other years counts on 1 March)
        LocalDate birthday = birth.plusYears(age + 1);
        for (LocalDate day = birthday; !day.isAfter(birthday.plusDays(1)); day = day.plusDays(1)) {
            long at = startOf(day);
            if (day.isAfter(today) && !age.equals(SnapshotReader.age(state, at))) {
                return at;
            }
        }
        return Long.MAX_VALUE;
    }

    private static long startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private long lifecycleChange(CustomerState state, long asOf) {
        long next = Long.MAX_VALUE;
        if (state.firstPurchaseAt != null) {
            next =
                    after(
                            next,
                            state.firstPurchaseAt + config.newCustomerWindow().toMillis() + 1,
                            asOf);
        }
        if (state.lastPurchaseAt != null) {
            next = after(next, state.lastPurchaseAt + config.atRiskAfter().toMillis() + 1, asOf);
            next = after(next, state.lastPurchaseAt + config.lapsedAfter().toMillis() + 1, asOf);
        }
        return next;
    }

    private static long expiry(long at, long asOf, long[] windows) {
        long next = Long.MAX_VALUE;
        for (long window : windows) {
            next = after(next, at + window + 1, asOf);
        }
        return next;
    }

    private static long after(long current, long candidate, long asOf) {
        return candidate > asOf ? Math.min(current, candidate) : current;
    }

    /** Recommendable category of an item: its category code, else its category id. */
    static String category(LineItem item) {
        return item.categoryCode != null ? item.categoryCode : item.categoryId;
    }
}
