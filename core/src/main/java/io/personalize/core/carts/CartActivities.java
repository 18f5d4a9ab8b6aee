package io.personalize.core.carts;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.events.LineItem;
import io.personalize.core.features.CartLine;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.TimedValue;
import io.personalize.core.recommend.CustomerContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Turns an event the feature state has just applied into what the cart patterns and the
 * recommendation model read: a {@link CartActivity} for cart changes and purchases, and {@link
 * ProductInteraction}s for views, adds and bought lines. Plain Java over the feature state, so the
 * patterns see the very cart the {@code cart_*} features describe.
 */
public final class CartActivities {
    /** Recent views a recommendation starts from. */
    static final int CONTEXT_VIEWS = 10;

    /** Companions of one interaction: enough for co-occurrence, small on the wire. */
    static final int MAX_COMPANIONS = 10;

    private CartActivities() {}

    /** The cart activity an event is, or null when it does not touch the cart. */
    public static CartActivity.Kind kindOf(EventType type) {
        return switch (type) {
            case ADD_TO_CART -> CartActivity.Kind.ADDED;
            case REMOVE_FROM_CART -> CartActivity.Kind.REMOVED;
            case ORDER_COMPLETED, ORDER_LINE -> CartActivity.Kind.PURCHASED;
            default -> null;
        };
    }

    /**
     * The episode a change leaves the cart in: a purchase or an emptied cart ends it (null); the
     * first change that leaves a non-empty cart starts one at its time.
     */
    public static Long episodeAfter(
            Long current, CartActivity.Kind kind, boolean cartEmpty, long at) {
        if (kind == CartActivity.Kind.PURCHASED || cartEmpty) {
            return null;
        }
        return current != null ? current : at;
    }

    /** The activity of a cart event, with the state's cart after it (copied). */
    public static CartActivity activity(
            Event event, String customerKey, CustomerState state, Long episodeStartedAt) {
        CartActivity activity = new CartActivity();
        activity.customerKey = customerKey;
        activity.customerId = event.customerId != null ? event.customerId : state.customerId;
        activity.eventId = event.eventId;
        activity.kind = kindOf(event.eventType);
        activity.at = event.occurredAt;
        if (activity.kind != CartActivity.Kind.PURCHASED && !event.items.isEmpty()) {
            activity.productId = event.items.get(0).productId;
        }
        List<CartLine> items = new ArrayList<>(state.cart.size());
        for (CartLine line : state.cart) {
            items.add(
                    new CartLine(
                            line.productId,
                            line.category,
                            line.quantity,
                            line.price,
                            line.changedAt));
        }
        activity.items = items;
        activity.cartEmpty = items.isEmpty();
        activity.episodeStartedAt = episodeStartedAt;
        if (activity.leavesOpenCart()) {
            // only a change that leaves an open cart can be abandoned and recommended for
            activity.context = context(state, event.occurredAt);
        }
        return activity;
    }

    /** What recommendations need of the customer: cart, recent views, bought, affinities. */
    public static CustomerContext context(CustomerState state, long asOf) {
        CustomerContext context = new CustomerContext();
        for (CartLine line : state.cart) {
            context.cartProductIds.add(line.productId);
        }
        List<TimedValue> views = state.recentViews;
        for (int i = Math.max(0, views.size() - CONTEXT_VIEWS); i < views.size(); i++) {
            context.recentViewIds.add(views.get(i).key);
        }
        for (TimedValue bought : state.boughtProducts) {
            context.boughtProductIds.add(bought.key);
        }
        // all masses are decayed to the same instant, so their ratios are current
        context.categoryAffinity = new HashMap<>(state.affinityMass);
        context.asOf = asOf;
        return context;
    }

    /**
     * The interactions an event is for the co-occurrence model (none for other events): the product
     * with the products viewed or carted within {@code sessionGapMillis} before it, and for an
     * order each line with the order's other lines too.
     */
    public static List<ProductInteraction> interactions(
            Event event, String customerKey, CustomerState state, long sessionGapMillis) {
        ProductInteraction.Kind kind =
                switch (event.eventType) {
                    case PRODUCT_VIEW -> ProductInteraction.Kind.VIEWED;
                    case ADD_TO_CART -> ProductInteraction.Kind.ADDED;
                    case ORDER_COMPLETED, ORDER_LINE -> ProductInteraction.Kind.BOUGHT;
                    default -> null;
                };
        if (kind == null || event.items == null || event.items.isEmpty()) {
            return List.of();
        }
        String customerId = event.customerId != null ? event.customerId : state.customerId;
        long at = event.occurredAt;
        List<ProductInteraction> out = new ArrayList<>(event.items.size());
        for (LineItem item : event.items) {
            if (item.productId == null) {
                continue;
            }
            List<String> companions = new ArrayList<>();
            for (LineItem other : event.items) {
                addCompanion(companions, item.productId, other.productId);
            }
            sessionCompanions(state, item.productId, at, sessionGapMillis, companions);
            String category = item.categoryCode != null ? item.categoryCode : item.categoryId;
            ProductInteraction interaction =
                    new ProductInteraction(kind, item.productId, category, at, companions);
            interaction.customerKey = customerKey;
            interaction.customerId = customerId;
            out.add(interaction);
        }
        return out;
    }

    private static void sessionCompanions(
            CustomerState state, String productId, long at, long gap, List<String> companions) {
        List<TimedValue> views = state.recentViews; // oldest first
        for (int i = views.size() - 1; i >= 0; i--) {
            TimedValue view = views.get(i);
            if (view.at < at - gap) {
                break;
            }
            if (view.at <= at) {
                addCompanion(companions, productId, view.key);
            }
        }
        for (CartLine line : state.cart) {
            if (line.changedAt <= at && line.changedAt >= at - gap) {
                addCompanion(companions, productId, line.productId);
            }
        }
    }

    private static void addCompanion(List<String> companions, String self, String other) {
        if (other != null
                && !other.equals(self)
                && companions.size() < MAX_COMPANIONS
                && !companions.contains(other)) {
            companions.add(other);
        }
    }
}
