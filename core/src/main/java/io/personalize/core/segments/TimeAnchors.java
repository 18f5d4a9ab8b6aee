package io.personalize.core.segments;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.features.TimedValue;
import java.util.HashMap;
import java.util.Map;

/**
 * What time-driven rules need beyond the features: when the day counts started, when age changes
 * next, and the recent views with their times. Read lazily from the customer's feature state, so a
 * rule set without such rules costs nothing.
 */
public final class TimeAnchors {
    static final String DAYS_SINCE_LAST_PURCHASE = "days_since_last_purchase";
    static final String DAYS_SINCE_LAST_OPEN = "days_since_last_open";

    private static final TimeAnchors NONE = new TimeAnchors(null, null);

    private final FeatureEngine engine;
    private final CustomerState state;
    private ViewedProducts viewed;

    private TimeAnchors(FeatureEngine engine, CustomerState state) {
        this.engine = engine;
        this.state = state;
    }

    private TimeAnchors(ViewedProducts viewed) {
        this(null, null);
        this.viewed = viewed == null ? ViewedProducts.none() : viewed;
    }

    /** The anchors of one customer's state, as of its clock. */
    public static TimeAnchors of(FeatureEngine engine, CustomerState state) {
        return new TimeAnchors(engine, state);
    }

    /** Only views (no age change, day counts from the features only). */
    public static TimeAnchors ofViews(ViewedProducts viewed) {
        return new TimeAnchors(viewed);
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

    /** The latest view time per product, from the views the features keep (7 days). */
    ViewedProducts viewed() {
        if (viewed == null) {
            if (state == null) {
                viewed = ViewedProducts.none();
            } else {
                Map<String, Long> latest = new HashMap<>();
                for (TimedValue view : state.recentViews) {
                    latest.merge(view.key, view.at, Math::max);
                }
                viewed = new ViewedProducts(latest);
            }
        }
        return viewed;
    }
}
