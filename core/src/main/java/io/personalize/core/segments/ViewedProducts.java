package io.personalize.core.segments;

import java.util.Map;

/**
 * A customer's recent product views with times (product id to the latest view, epoch ms), as {@code
 * viewed_product(id, window)} needs them. A view at t is within a window W of as_of while {@code
 * as_of - t <= W}, as feature windows are.
 */
public record ViewedProducts(Map<String, Long> lastViewedAt) {

    private static final ViewedProducts NONE = new ViewedProducts(Map.of());

    public ViewedProducts {
        lastViewedAt = Map.copyOf(lastViewedAt);
    }

    public static ViewedProducts none() {
        return NONE;
    }

    /** Whether the product was viewed at or before {@code asOf} and within the window. */
    public boolean viewedWithin(String productId, long asOf, long windowMillis) {
        Long at = lastViewedAt.get(productId);
        return at != null && at <= asOf && asOf - at <= windowMillis;
    }
}
