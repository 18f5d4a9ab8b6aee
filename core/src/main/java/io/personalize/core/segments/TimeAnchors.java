package io.personalize.core.segments;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.features.TimedValue;
import java.util.function.LongConsumer;

/**
 * What time-driven rules need beyond the features: when the day counts started, when age changes
 * next, and the recent views with their times. Read from the customer's feature state only when a
 * rule asks, so a rule set without such rules costs nothing.
 */
public final class TimeAnchors {
    static final String DAYS_SINCE_LAST_PURCHASE = "days_since_last_purchase";
    static final String DAYS_SINCE_LAST_OPEN = "days_since_last_open";

    private static final TimeAnchors NONE = new TimeAnchors(null, null, ViewedProducts.none());

    private final FeatureEngine engine;
    private final CustomerState state;
    private final ViewedProducts viewed;

    private TimeAnchors(FeatureEngine engine, CustomerState state, ViewedProducts viewed) {
        this.engine = engine;
        this.state = state;
        this.viewed = viewed;
    }

    /** The anchors of one customer's state, as of its clock. */
    public static TimeAnchors of(FeatureEngine engine, CustomerState state) {
        return new TimeAnchors(engine, state, null);
    }

    /** Only views (no age change, day counts from the features only). */
    public static TimeAnchors ofViews(ViewedProducts viewed) {
        return new TimeAnchors(null, null, viewed == null ? ViewedProducts.none() : viewed);
    }

    /** No anchors (no views, no age change, day counts from the features only). */
    public static TimeAnchors none() {
        return NONE;
    }

    /** The instant a day-count feature counts from; null when it has no value. */
    Long anchorOf(String dayFeature, CustomerFeatures f) {
        return switch (dayFeature) {
            case DAYS_SINCE_LAST_PURCHASE -> f.lastPurchaseAt;
            case DAYS_SINCE_LAST_OPEN -> state == null ? null : state.lastOpenAt;
            default -> throw new IllegalArgumentException("not a day count: " + dayFeature);
        };
    }

    long nextAgeChangeAt() {
        return state == null ? Long.MAX_VALUE : engine.nextAgeChangeAt(state);
    }

    /** Whether the product was viewed at or before {@code asOf} and within the window. */
    boolean viewedWithin(String productId, long asOf, long windowMillis) {
        if (state == null) {
            return viewed.viewedWithin(productId, asOf, windowMillis);
        }
        for (TimedValue view : state.recentViews) { // at most 50, oldest first
            if (view.key.equals(productId) && view.at <= asOf && asOf - view.at <= windowMillis) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code action} with the time of each recent view. */
    void forEachViewTime(LongConsumer action) {
        if (state == null) {
            viewed.lastViewedAt().values().forEach(action::accept);
        } else {
            for (TimedValue view : state.recentViews) {
                action.accept(view.at);
            }
        }
    }
}
