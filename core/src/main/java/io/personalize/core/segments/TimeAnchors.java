package io.personalize.core.segments;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.features.TimedValue;
import java.util.Set;
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

    /**
     * A fingerprint of the recent views (product and time) and of how many fall within each window
     * as of {@code asOf}: it changes when a view arrives and when one leaves a window.
     */
    long viewsFingerprint(long asOf, long[] windows, Set<String> products) {
        long h = 0x7F4A7C159E3779B9L;
        int[] within = new int[windows.length];
        if (state == null) {
            for (var view : viewed.lastViewedAt().entrySet()) {
                if (products == null || products.contains(view.getKey())) {
                    h =
                            SegmentEngine.mix(
                                    h, ((long) view.getKey().hashCode() << 32) ^ view.getValue());
                    count(within, windows, asOf, view.getValue());
                }
            }
        } else {
            for (TimedValue view : state.recentViews) {
                if (products == null || products.contains(view.key)) {
                    h = SegmentEngine.mix(h, ((long) view.key.hashCode() << 32) ^ view.at);
                    count(within, windows, asOf, view.at);
                }
            }
        }
        for (int n : within) {
            h = SegmentEngine.mix(h, n);
        }
        return h;
    }

    private static void count(int[] within, long[] windows, long asOf, long at) {
        for (int i = 0; i < windows.length; i++) {
            if (at <= asOf && asOf - at <= windows[i]) {
                within[i]++;
            }
        }
    }

    /** Calls {@code action} with the time of each recent view of the products (null: any). */
    void forEachViewTime(Set<String> products, LongConsumer action) {
        if (state == null) {
            viewed.lastViewedAt()
                    .forEach(
                            (product, at) -> {
                                if (products == null || products.contains(product)) {
                                    action.accept(at);
                                }
                            });
        } else {
            for (TimedValue view : state.recentViews) {
                if (products == null || products.contains(view.key)) {
                    action.accept(view.at);
                }
            }
        }
    }
}
