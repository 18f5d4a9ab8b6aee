package io.personalize.core.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.core.generator.CustomerTimeline.Who;
import io.personalize.core.generator.Envelope.Item;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders of one customer: web orders ({@code order_completed}), in-store purchases reported as one
 * {@code order_line} per item, and the after-sales events that reference an earlier order by id
 * with the amount taken back: a few orders are cancelled within hours ({@code order_cancelled},
 * whole order), some are refunded days later ({@code order_refunded}, whole order or one line).
 */
final class Orders {

    /** Share of purchase intents that happen in a store instead of the web shop. */
    static final double STORE_SHARE = 0.06;

    static final double CANCEL_SHARE = 0.03;
    static final double REFUND_SHARE = 0.06;

    private static final List<String> REFUND_REASONS =
            List.of("damaged", "wrong_size", "not_as_described", "changed_mind");

    private final CustomerTimeline tl;
    private final CustomerTraits traits;

    Orders(CustomerTimeline tl) {
        this.tl = tl;
        this.traits = tl.traits;
    }

    private String nextOrderId() {
        return "o-" + traits.index() + "-" + (++tl.orderCount);
    }

    /** A web order of the given cart, in the given session. */
    void complete(long at, Who who, List<Item> cart) {
        String orderId = nextOrderId();
        ObjectNode event = tl.event("order_completed", at, who);
        Envelope.order(event.putObject("order"), orderId, traits.region().country(), cart);
        tl.emit(event, at);
        booked(at, orderId, cart);
    }

    /** A purchase in a store: one {@code order_line} event per item, no web session. */
    void storePurchase(long at) {
        int count = 1 + (int) Math.min(5, CustomerTraits.expo(tl.rnd, traits.basketSize() - 1));
        List<Item> items = new ArrayList<>();
        int[] preferred = traits.preferredCategories();
        for (int i = 0; i < count; i++) {
            int category = preferred[tl.rnd.nextInt(preferred.length)];
            Catalog.Product p = tl.world.catalog.pick(category, traits.priceLevel(), tl.rnd);
            if (items.stream().noneMatch(item -> item.product().equals(p))) {
                items.add(new Item(p, 1 + (tl.rnd.nextDouble() < 0.1 ? 1 : 0)));
            }
        }
        String orderId = nextOrderId();
        String store =
                "store-"
                        + traits.region().country().toLowerCase()
                        + "-0"
                        + (1 + traits.index() % 3);
        for (int i = 0; i < items.size(); i++) {
            long lineAt = at + i;
            ObjectNode event = tl.event("order_line", lineAt, tl.customer(null));
            ObjectNode order =
                    Envelope.order(
                            event.putObject("order"),
                            orderId,
                            traits.region().country(),
                            List.of(items.get(i)));
            order.put("line_number", i + 1);
            event.put("channel", "store");
            event.put("store_id", store);
            tl.emit(event, lineAt);
        }
        booked(at, orderId, items);
    }

    /** Books the spend, checks the loyalty tier, and maybe schedules a cancel or refund. */
    private void booked(long at, String orderId, List<Item> items) {
        tl.spendCents += Envelope.totalCents(items);
        tl.crm.afterOrder(at);
        double u = tl.rnd.nextDouble();
        if (u < CANCEL_SHARE) {
            long cancelAt = at + 10 * World.MINUTE + tl.rnd.nextLong(20 * World.HOUR);
            tl.schedule(
                    cancelAt, () -> takeBack("order_cancelled", cancelAt, orderId, items, null));
        } else if (u < CANCEL_SHARE + REFUND_SHARE) {
            long refundAt = tl.daytime(at + 2 * World.DAY + tl.rnd.nextLong(23 * World.DAY));
            List<Item> refunded =
                    items.size() > 1 && tl.rnd.nextDouble() < 0.4
                            ? List.of(items.get(tl.rnd.nextInt(items.size())))
                            : items;
            String reason = REFUND_REASONS.get(tl.rnd.nextInt(REFUND_REASONS.size()));
            tl.schedule(
                    refundAt,
                    () -> takeBack("order_refunded", refundAt, orderId, refunded, reason));
        }
    }

    private void takeBack(String type, long at, String orderId, List<Item> items, String reason) {
        ObjectNode event = tl.event(type, at, tl.customer(null));
        ObjectNode order =
                Envelope.order(event.putObject("order"), orderId, traits.region().country(), items);
        if (reason != null) {
            order.put("reason", reason);
        }
        tl.spendCents -= Envelope.totalCents(items);
        tl.emit(event, at);
    }
}
