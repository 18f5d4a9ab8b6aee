package io.personalize.core.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.core.generator.CustomerTimeline.Who;
import io.personalize.core.generator.Envelope.Item;
import java.util.ArrayList;
import java.util.List;

/**
 * One web session while it is being written: its session id, the device's anonymous id, who the
 * visitor currently is (anonymous until an {@code identify}), the session clock and the cart, and
 * the events a visitor can cause. {@link WebSessions} decides what happens; this class writes it.
 */
final class Visit {

    static final String SHOP = "https://shop.example.com";

    private final CustomerTimeline tl;
    final String sessionId;
    final String anonymousId;
    final List<Item> cart = new ArrayList<>();
    Who who;

    /** Time of the latest event of the session. */
    long t;

    Visit(CustomerTimeline tl, long start, boolean anonymous) {
        this.tl = tl;
        this.sessionId = "s-" + tl.traits.index() + "-" + (++tl.sessionCount);
        this.anonymousId = tl.anonymousId();
        this.t = start;
        this.who = anonymous ? new Who(null, anonymousId, sessionId) : tl.customer(sessionId);
    }

    /** The next event of the session, a few seconds to two minutes after the previous one. */
    ObjectNode next(String type) {
        t += 4 * World.SECOND + tl.rnd.nextLong(2 * World.MINUTE);
        return tl.event(type, t, who);
    }

    void emit(ObjectNode event) {
        tl.emit(event, t);
    }

    /** The visitor logs in: an {@code identify} with both ids, then events with the customer id. */
    void identify() {
        who = new Who(tl.traits.customerId(), anonymousId, sessionId);
        emit(next("identify"));
        who = tl.customer(sessionId);
    }

    void pageView(String url, String title, String referrer) {
        ObjectNode event = next("page_view");
        page(event, url, title, referrer);
        emit(event);
    }

    Catalog.Product productView(Catalog.Product p) {
        ObjectNode event = next("product_view");
        ObjectNode product = Envelope.product(event.putObject("product"), p, 1);
        product.remove("quantity");
        emit(event);
        return p;
    }

    /** Adds a product (mostly one piece) unless it is in the cart already. */
    void addToCart(Catalog.Product p) {
        for (Item i : cart) {
            if (i.product().equals(p)) {
                return;
            }
        }
        int max = tl.world.catalog.category(p.categoryIndex()).maxQuantity();
        int quantity = tl.rnd.nextDouble() < 0.85 ? 1 : 1 + tl.rnd.nextInt(max);
        cart.add(new Item(p, quantity));
        ObjectNode event = next("add_to_cart");
        Envelope.product(event.putObject("product"), p, quantity);
        emit(event);
    }

    /** Removes a random cart line. */
    void removeFromCart() {
        Item item = cart.remove(tl.rnd.nextInt(cart.size()));
        ObjectNode event = next("remove_from_cart");
        Envelope.product(event.putObject("product"), item.product(), item.quantity());
        emit(event);
    }

    void search(String query) {
        ObjectNode event = next("search");
        event.putObject("search").put("query", query);
        page(event, SHOP + "/search?q=" + query.replace(' ', '+'), "Search", null);
        emit(event);
    }

    void checkoutStarted() {
        ObjectNode event = next("checkout_started");
        page(event, SHOP + "/checkout", "Checkout", null);
        emit(event);
    }

    private static void page(ObjectNode event, String url, String title, String referrer) {
        ObjectNode page = event.putObject("page");
        page.put("url", url);
        if (referrer != null && !referrer.isEmpty()) {
            page.put("referrer", referrer);
        }
        page.put("title", title);
    }
}
