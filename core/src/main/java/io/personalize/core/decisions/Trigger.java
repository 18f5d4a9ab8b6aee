package io.personalize.core.decisions;

import io.personalize.core.recommend.ProductInfo;
import io.personalize.core.recommend.Recommendation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Something that may start a flow for a customer: a pattern match (cart abandoned, reminder due,
 * browse abandoned), a segment entered or exited, or a flow's condition that became true. Built by
 * the decision stage from the streams it reads. A Flink POJO.
 */
public class Trigger {
    /** Kinds of trigger a flow can name. */
    public static final String PATTERN = "pattern";

    public static final String SEGMENT_ENTERED = "segment_entered";
    public static final String SEGMENT_EXITED = "segment_exited";
    public static final String CONDITION = "condition";

    public String customerKey;
    public String customerId;

    /**
     * {@link #PATTERN}, {@link #SEGMENT_ENTERED}, {@link #SEGMENT_EXITED} or {@link #CONDITION}.
     */
    public String kind;

    /**
     * What fired: the pattern ({@code cart_abandoned}, {@code cart_reminder_due}, {@code
     * browse_abandoned}), the segment id, or the flow id for a condition.
     */
    public String name;

    /**
     * Id of the triggering record (abandonment id, segment change id, or flow id + the features'
     * as_of for a condition): with customer and flow it makes the decision id.
     */
    public String triggeringId;

    /** Event time of the trigger. */
    public long at;

    /**
     * Products recommended with the trigger (abandoned carts, reminders, browse abandonments);
     * empty otherwise.
     */
    public List<Recommendation> recommendations = new ArrayList<>();

    /** Products the trigger is about (the cart's, the browsed one). */
    public List<String> productIds = new ArrayList<>();

    /**
     * What the catalog says of the products the trigger shows as they are (the browsed product),
     * fields null when unknown; empty for other triggers.
     */
    public List<ProductInfo> products = new ArrayList<>();

    public Trigger() {}

    public static Trigger of(
            String customerKey,
            String customerId,
            String kind,
            String name,
            String triggeringId,
            long at) {
        Trigger t = new Trigger();
        t.customerKey = customerKey;
        t.customerId = customerId;
        t.kind = kind;
        t.name = name;
        t.triggeringId = triggeringId;
        t.at = at;
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trigger t
                && at == t.at
                && Objects.equals(customerKey, t.customerKey)
                && Objects.equals(customerId, t.customerId)
                && Objects.equals(kind, t.kind)
                && Objects.equals(name, t.name)
                && Objects.equals(triggeringId, t.triggeringId)
                && Objects.equals(recommendations, t.recommendations)
                && Objects.equals(productIds, t.productIds)
                && Objects.equals(products, t.products);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerKey, kind, name, triggeringId, at);
    }

    @Override
    public String toString() {
        return "Trigger{"
                + kind
                + " "
                + name
                + " "
                + customerKey
                + " "
                + triggeringId
                + " @"
                + at
                + "}";
    }
}
