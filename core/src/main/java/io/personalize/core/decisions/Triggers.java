package io.personalize.core.decisions;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.features.CartLine;
import io.personalize.core.segments.SegmentChange;
import java.util.ArrayList;

/**
 * The triggers the records of the earlier stages start flows with: a cart abandoned or a reminder
 * due ({@link CartAbandonment}), a browse abandonment, a segment entered or left. Each trigger's id
 * derives from its record, so the same record gives the same trigger (and one decision) again.
 */
public final class Triggers {
    public static final String CART_ABANDONED = "cart_abandoned";
    public static final String CART_REMINDER_DUE = "cart_reminder_due";
    public static final String BROWSE_ABANDONED = "browse_abandoned";

    private Triggers() {}

    /**
     * An abandonment or a due reminder starts a flow; {@code recovered} and {@code emptied} end a
     * cart's story (the reminder flow re-checks the cart instead), so they give none.
     *
     * @return null for the statuses that trigger nothing
     */
    public static Trigger of(CartAbandonment a) {
        String name =
                switch (a.status) {
                    case ABANDONED -> CART_ABANDONED;
                    case REMINDER_DUE -> CART_REMINDER_DUE;
                    default -> null;
                };
        if (name == null) {
            return null;
        }
        Trigger t =
                Trigger.of(
                        a.customerKey,
                        a.customerId,
                        Trigger.PATTERN,
                        name,
                        a.abandonmentId + "/" + a.status.wireName(),
                        a.at);
        t.recommendations = new ArrayList<>(a.recommendations);
        for (CartLine line : a.items) {
            t.productIds.add(line.productId);
        }
        return t;
    }

    /** A browse abandonment, with the browsed product as the catalog describes it and its picks. */
    public static Trigger of(BrowseAbandonment b) {
        Trigger t =
                Trigger.of(
                        b.customerKey,
                        b.customerId,
                        Trigger.PATTERN,
                        BROWSE_ABANDONED,
                        "browse/" + b.productId + "/" + b.lastViewAt,
                        b.at);
        t.productIds.add(b.productId);
        t.products.add(b.product());
        t.recommendations = new ArrayList<>(b.recommendations);
        return t;
    }

    public static Trigger of(SegmentChange change) {
        return Trigger.of(
                change.customerKey,
                change.customerId,
                SegmentChange.ENTERED.equals(change.change)
                        ? Trigger.SEGMENT_ENTERED
                        : Trigger.SEGMENT_EXITED,
                change.segmentId,
                change.changeId,
                change.eventTime);
    }
}
