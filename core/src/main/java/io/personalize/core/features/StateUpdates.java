package io.personalize.core.features;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.events.LineItem;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Map;

/** How each event type changes a {@link CustomerState}. Used by {@link FeatureEngine} only. */
final class StateUpdates implements Serializable {
    private static final long serialVersionUID = 1L;

    static final double VIEW_WEIGHT = 1.0;
    static final double CART_WEIGHT = 3.0;
    static final double PURCHASE_WEIGHT = 5.0;
    static final double OPEN_WEIGHT = 0.3;
    static final double CLICK_WEIGHT = 0.7;

    /** Equal times are ordered by product id, so the kept entries do not depend on arrival. */
    private static final Comparator<TimedValue> BY_TIME_THEN_KEY =
            Comparator.<TimedValue>comparingLong(value -> value.at)
                    .thenComparing(value -> value.key);

    private final FeatureConfig config;

    StateUpdates(FeatureConfig config) {
        this.config = config;
    }

    void apply(CustomerState state, Event event) {
        long at = event.occurredAt;
        if (isWebEvent(event.eventType)) {
            trackSession(state, event);
        }
        switch (event.eventType) {
            case PRODUCT_VIEW -> {
                state.productViews.add(at, 1, FeatureEngine.MINUTE);
                LineItem item = event.items.get(0);
                rememberView(state, item.productId, at);
                addAffinity(state, FeatureEngine.category(item), VIEW_WEIGHT, at);
            }
            case ADD_TO_CART -> {
                state.addToCarts.add(at, 1, FeatureEngine.MINUTE);
                LineItem item = event.items.get(0);
                addToCart(state, item, at);
                addAffinity(state, FeatureEngine.category(item), CART_WEIGHT, at);
            }
            case REMOVE_FROM_CART -> removeFromCart(state, event.items.get(0), at);
            case ORDER_COMPLETED, ORDER_LINE -> purchase(state, event);
            case ORDER_CANCELLED, ORDER_REFUNDED -> takeBack(state, event);
            case EMAIL_DELIVERED -> {
                state.emailsDelivered.add(at, 1, FeatureEngine.MINUTE);
                delivered(state, at);
            }
            case EMAIL_BOUNCED -> bounced(state, event);
            case EMAIL_OPENED -> {
                state.emailOpens.add(at, 1, FeatureEngine.MINUTE);
                state.lastOpenAt = max(state.lastOpenAt, at);
                addEngagement(state, OPEN_WEIGHT, at);
            }
            case EMAIL_CLICKED -> {
                state.emailClicks.add(at, 1, FeatureEngine.MINUTE);
                addEngagement(state, CLICK_WEIGHT, at);
            }
            case EMAIL_UNSUBSCRIBED -> setConsent(state, false, at);
            case EMAIL_COMPLAINED -> {
                setConsent(state, false, at);
                Suppression.suppress(state, Suppression.COMPLAINT, at);
            }
            case CONSENT_CHANGED -> {
                if ("email".equalsIgnoreCase(event.consentChannel)) {
                    setConsent(state, event.consentGranted, at);
                }
            }
            case PROFILE_UPDATED -> updateProfile(state, event);
            default -> {}
        }
    }

    private static boolean isWebEvent(EventType type) {
        return switch (type) {
            case PAGE_VIEW, SEARCH, PRODUCT_VIEW, ADD_TO_CART, REMOVE_FROM_CART, CHECKOUT_STARTED ->
                    true;
            default -> false;
        };
    }

    /**
     * A session is a distinct session id, starting at its earliest event (so a late event of an
     * earlier session does not count as a new one); events without an id are kept as times, and
     * their sessions are found when read ({@link TimeSeries#startsAfterGap}), so neither depends on
     * arrival order.
     */
    private void trackSession(CustomerState state, Event event) {
        long at = event.occurredAt;
        if (event.sessionId != null) {
            TimedValue session = find(state.sessions, event.sessionId);
            if (session == null) {
                state.sessions.add(new TimedValue(event.sessionId, at, 0));
            } else {
                session.at = Math.min(session.at, at);
            }
        } else {
            state.unsessionedWebEvents.add(at, 1, FeatureEngine.MINUTE);
        }
        state.lastWebEventAt = max(state.lastWebEventAt, at);
    }

    private static TimedValue find(java.util.List<TimedValue> values, String key) {
        for (TimedValue value : values) {
            if (value.key.equals(key)) {
                return value;
            }
        }
        return null;
    }

    private static void rememberView(CustomerState state, String productId, long at) {
        state.recentViews.removeIf(view -> view.key.equals(productId) && view.at <= at);
        for (TimedValue view : state.recentViews) {
            if (view.key.equals(productId)) {
                return; // a later view of the same product is already remembered
            }
        }
        state.recentViews.add(new TimedValue(productId, at, 0));
        state.recentViews.sort(BY_TIME_THEN_KEY);
        while (state.recentViews.size() > FeatureEngine.MAX_RECENT_VIEWS) {
            state.recentViews.remove(0);
        }
    }

    private static void addToCart(CustomerState state, LineItem item, long at) {
        TimedValue bought = find(state.recentPurchases, item.productId);
        if ((state.cartClearedAt != null && at <= state.cartClearedAt)
                || (bought != null && at <= bought.at)) {
            return; // arrived late: the product was bought (or the cart emptied) after this add
        }
        int quantity = item.quantity;
        TimedValue removal = find(state.pendingRemovals, item.productId);
        if (removal != null && removal.at >= at) {
            // arrived after a removal that happened later: apply that removal to it now
            int removed = (int) Math.min(quantity, removal.value);
            quantity -= removed;
            removal.value -= removed;
            if (removal.value <= 0) {
                state.pendingRemovals.remove(removal);
            }
            if (quantity == 0) {
                return;
            }
        }
        for (CartLine line : state.cart) {
            if (line.productId.equals(item.productId)) {
                line.quantity += quantity;
                if (at >= line.changedAt) { // the price of the latest add by event time
                    line.price = item.price != null ? item.price : line.price;
                    line.changedAt = at;
                }
                return;
            }
        }
        state.cart.add(
                new CartLine(
                        item.productId,
                        FeatureEngine.category(item),
                        quantity,
                        item.price == null ? 0.0 : item.price,
                        at));
    }

    /**
     * Takes units out of the cart; units it cannot find (their add has not arrived yet) are kept as
     * a pending removal for a late add from before it.
     */
    private static void removeFromCart(CustomerState state, LineItem item, long at) {
        int unmatched = item.quantity;
        for (CartLine line : state.cart) {
            if (line.productId.equals(item.productId)) {
                int removed = Math.min(unmatched, line.quantity);
                line.quantity -= removed;
                unmatched -= removed;
                line.changedAt = Math.max(line.changedAt, at);
            }
        }
        state.cart.removeIf(line -> line.quantity <= 0);
        if (unmatched > 0) {
            TimedValue pending = find(state.pendingRemovals, item.productId);
            if (pending == null) {
                state.pendingRemovals.add(new TimedValue(item.productId, at, unmatched));
            } else {
                pending.at = Math.max(pending.at, at);
                pending.value += unmatched;
            }
        }
    }

    /**
     * An order line or completion. The order counts once per order id within the order horizon,
     * whatever the arrival order of its lines ({@link OrderMemory}); its amount is the sum of its
     * lines plus its completion total (a repeated completion adds nothing), less take-backs.
     */
    private void purchase(CustomerState state, Event event) {
        long at = event.occurredAt;
        String orderId = orderKey(event.orderId);
        boolean completion = event.eventType == EventType.ORDER_COMPLETED;
        OrderMemory memory = state.orderMemory;
        int index = memory.find(orderId);
        boolean countedBefore = memory.counted(index);
        boolean knownPurchase = memory.has(index, OrderMemory.PURCHASED);
        long micros =
                completion && memory.has(index, OrderMemory.COMPLETED)
                        ? 0L
                        : Money.micros(event.orderTotal);
        memory.record(
                index,
                at,
                micros,
                (byte) (OrderMemory.PURCHASED | (completion ? OrderMemory.COMPLETED : 0)));
        state.lifetimeRevenueMicros += micros;
        state.lifetimeOrders += (memory.counted(index) ? 1 : 0) - (countedBefore ? 1 : 0);
        OrderRecord order = findOrder(state, orderId);
        if (order != null) {
            order.amountMicros += micros;
            order.at = Math.min(order.at, at);
            order.cancelled = !memory.counted(index);
        } else if (!knownPurchase) {
            // take-backs that arrived first are the order's now, at the order's time
            state.revenueAdjustments.removeIf(adjustment -> orderId.equals(adjustment.key));
            if (inLongestWindow(state, at)) {
                OrderRecord added = new OrderRecord(orderId, at, memory.net(index));
                added.cancelled = !memory.counted(index);
                state.orders.add(added);
            }
        } // else: a known order whose earliest event has left every window
        state.firstPurchaseAt =
                state.firstPurchaseAt == null ? at : Math.min(state.firstPurchaseAt, at);
        state.lastPurchaseAt = max(state.lastPurchaseAt, at);
        updateCountry(state, event);
        if (event.eventType == EventType.ORDER_COMPLETED && event.items.isEmpty()) {
            state.cart.removeIf(line -> line.changedAt <= at);
            state.cartClearedAt = max(state.cartClearedAt, at);
        }
        for (LineItem item : event.items) {
            state.cart.removeIf(
                    line -> line.productId.equals(item.productId) && line.changedAt <= at);
            TimedValue bought = find(state.recentPurchases, item.productId);
            if (bought == null) {
                state.recentPurchases.add(new TimedValue(item.productId, at, 0));
            } else {
                bought.at = Math.max(bought.at, at);
            }
            addAffinity(state, FeatureEngine.category(item), PURCHASE_WEIGHT, at);
            rememberBought(state, item.productId, at);
        }
    }

    /** Whether an event at {@code at} is in the 90-day windows as of the customer's clock. */
    private static boolean inLongestWindow(CustomerState state, long at) {
        return state.clock == Long.MIN_VALUE || at >= state.clock - FeatureEngine.D90;
    }

    /**
     * The order an event names: the retail export's cancellation {@code C536379} names order {@code
     * 536379} (a {@code C} followed by a digit is dropped, for purchases too, so both sides name
     * the same order).
     */
    static String orderKey(String orderId) {
        if (orderId != null
                && orderId.length() > 1
                && (orderId.charAt(0) == 'C' || orderId.charAt(0) == 'c')
                && Character.isDigit(orderId.charAt(1))) {
            return orderId.substring(1);
        }
        return orderId;
    }

    private static void rememberBought(CustomerState state, String productId, long at) {
        TimedValue known = find(state.boughtProducts, productId);
        if (known != null) {
            if (at <= known.at) {
                return;
            }
            state.boughtProducts.remove(known);
        }
        state.boughtProducts.add(new TimedValue(productId, at, 0));
        state.boughtProducts.sort(BY_TIME_THEN_KEY);
        while (state.boughtProducts.size() > FeatureEngine.MAX_BOUGHT_PRODUCTS) {
            state.boughtProducts.remove(0);
        }
    }

    /**
     * A cancellation or refund takes its amount back from the order it names (also as {@code
     * C<order>}, the retail export's convention): lifetime revenue is the signed sum of every
     * amount in and out, so it may go negative. An order cancelled with nothing (or less than
     * nothing) left is not counted. A take-back of an order not seen yet is a revenue adjustment at
     * its own time until the order arrives, which then carries it; one of an order forgotten
     * (beyond the horizon) stays an adjustment.
     */
    private static void takeBack(CustomerState state, Event event) {
        long at = event.occurredAt;
        long micros = -Money.micros(event.orderTotal);
        String orderId = orderKey(event.orderId);
        state.lifetimeRevenueMicros += micros;
        OrderMemory memory = state.orderMemory;
        int index = memory.find(orderId);
        boolean countedBefore = memory.counted(index);
        byte flag = event.eventType == EventType.ORDER_CANCELLED ? OrderMemory.CANCELLED : 0;
        memory.record(index, at, micros, flag);
        state.lifetimeOrders += (memory.counted(index) ? 1 : 0) - (countedBefore ? 1 : 0);
        OrderRecord order = findOrder(state, orderId);
        if (order != null) {
            order.amountMicros += micros;
            order.cancelled = !memory.counted(index);
        } else if (!memory.has(index, OrderMemory.PURCHASED) && inLongestWindow(state, at)) {
            state.revenueAdjustments.add(new TimedValue(orderId, at, micros));
        } // else: the order is known and has left every window
    }

    private static OrderRecord findOrder(CustomerState state, String orderId) {
        for (OrderRecord order : state.orders) {
            if (order.orderId.equals(orderId)) {
                return order;
            }
        }
        return null;
    }

    private void addEngagement(CustomerState state, double weight, long at) {
        long halfLife = config.engagementHalfLife().toMillis();
        if (at >= state.engagementRef) {
            state.engagementMass =
                    Decay.decayed(state.engagementMass, at - state.engagementRef, halfLife)
                            + weight;
            state.engagementRef = at;
        } else {
            state.engagementMass += Decay.decayed(weight, state.engagementRef - at, halfLife);
        }
    }

    private void addAffinity(CustomerState state, String category, double weight, long at) {
        if (category == null) {
            return;
        }
        long halfLife = config.affinityHalfLife().toMillis();
        if (at > state.affinityRef) {
            long elapsed = state.affinityRef == Long.MIN_VALUE ? 0 : at - state.affinityRef;
            state.affinityMass.replaceAll((c, mass) -> Decay.decayed(mass, elapsed, halfLife));
            state.affinityRef = at;
        }
        double added = Decay.decayed(weight, state.affinityRef - at, halfLife);
        state.affinityMass.merge(category, added, Double::sum);
        if (state.affinityMass.size() > FeatureEngine.MAX_AFFINITY_CATEGORIES) {
            // the weakest category, the first by name on a tie: not the HashMap's order
            state.affinityMass.entrySet().stream()
                    .min(
                            Map.Entry.<String, Double>comparingByValue()
                                    .thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey)
                    .ifPresent(state.affinityMass::remove);
        }
    }

    /** Soft bounces count from the latest delivery: a delivery ends a run of soft bounces. */
    private static void delivered(CustomerState state, long at) {
        state.lastDeliveredAt = max(state.lastDeliveredAt, at);
        long from = state.lastDeliveredAt;
        state.softBounces.removeIf(bounce -> bounce <= from);
    }

    /**
     * A hard bounce suppresses the address at once; any other bounce ({@code soft}, or no type)
     * counts toward the soft-bounce threshold: that many after the latest delivery suppress the
     * address, at the bounce that reached the threshold.
     */
    private void bounced(CustomerState state, Event event) {
        long at = event.occurredAt;
        if (Suppression.HARD_BOUNCE_TYPE.equalsIgnoreCase(event.bounceType)) {
            Suppression.suppress(state, Suppression.HARD_BOUNCE, at);
            return;
        }
        if (state.lastDeliveredAt != null && at <= state.lastDeliveredAt) {
            return; // a delivery after it ended its run
        }
        int threshold = config.softBounceThreshold();
        int index = java.util.Collections.binarySearch(state.softBounces, at);
        state.softBounces.add(index < 0 ? -index - 1 : index, at);
        while (state.softBounces.size() > threshold) {
            state.softBounces.remove(0); // only whether the threshold is reached matters
        }
        if (state.softBounces.size() >= threshold) {
            Suppression.suppress(
                    state, Suppression.SOFT_BOUNCES, state.softBounces.get(threshold - 1));
        }
    }

    /** The latest consent by event time; of two at the same instant, a denial wins. */
    private static void setConsent(CustomerState state, Boolean granted, long at) {
        if (at > state.consentAt
                || (at == state.consentAt && rank(granted) < rank(state.emailConsent))) {
            state.emailConsent = granted;
            state.consentAt = at;
        }
    }

    /** false before unknown before true: the order in which ties of consent are settled. */
    private static int rank(Boolean granted) {
        return granted == null ? 1 : granted ? 2 : 0;
    }

    /**
     * Each profile field keeps its latest value by event time: an older update arriving late does
     * not overwrite a newer value, but still fills a field that no newer update set. Of two values
     * at the same instant the greater one wins (a fixed rule, so arrival order does not decide).
     */
    private static void updateProfile(CustomerState state, Event event) {
        long at = event.occurredAt;
        if (event.birthDate != null
                && newer(at, event.birthDate, state.birthDateAt, state.birthDate)) {
            state.birthDate = event.birthDate;
            state.birthDateAt = at;
        }
        if (event.birthYear != null
                && newer(at, event.birthYear, state.birthYearAt, state.birthYear)) {
            state.birthYear = event.birthYear;
            state.birthYearAt = at;
        }
        if (event.loyaltyTier != null
                && newer(at, event.loyaltyTier, state.loyaltyTierAt, state.loyaltyTier)) {
            state.loyaltyTier = event.loyaltyTier;
            state.loyaltyTierAt = at;
        }
        updateCountry(state, event);
        if (event.timezone != null && newer(at, event.timezone, state.timezoneAt, state.timezone)) {
            state.timezone = event.timezone;
            state.timezoneAt = at;
        }
        if (event.emailHash != null
                && newer(at, event.emailHash, state.emailHashAt, state.emailHash)) {
            state.emailHash = event.emailHash;
            state.emailHashAt = at;
        }
    }

    /** The latest country by event time, from a profile or an order. */
    private static void updateCountry(CustomerState state, Event event) {
        if (event.country != null
                && newer(event.occurredAt, event.country, state.countryAt, state.country)) {
            state.country = event.country;
            state.countryAt = event.occurredAt;
        }
    }

    /** Whether a value at {@code at} replaces the current one: later, or as late and greater. */
    private static <T extends Comparable<T>> boolean newer(
            long at, T value, long currentAt, T current) {
        return at > currentAt
                || (at == currentAt && (current == null || value.compareTo(current) > 0));
    }

    private static Long max(Long current, long candidate) {
        return current == null ? candidate : Math.max(current, candidate);
    }
}
