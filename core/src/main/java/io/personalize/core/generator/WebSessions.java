package io.personalize.core.generator;

import io.personalize.core.generator.Envelope.Item;
import java.util.List;

/**
 * The web sessions of one customer. Two Poisson processes drive them: browsing sessions (rate from
 * the browse trait) and purchase intents (rate from the purchase trait; a few of those become
 * in-store purchases). E-mail clicks and abandoned carts add sessions of their own.
 *
 * <p>A session is a page view, product views mostly in the preferred categories near the customer's
 * price level, cart additions and removals, and for buyers {@code checkout_started} and {@code
 * order_completed}. Some sessions start anonymous and log in ({@code identify}) on the way; a few
 * stay anonymous. Abandoned carts often come back hours or days later and are bought.
 */
final class WebSessions {

    enum Intent {
        BROWSE,
        BUY,
        RETURN_TO_CART,
        FROM_EMAIL
    }

    private static final List<String> REFERRERS =
            List.of(
                    "https://www.google.com/", "https://www.instagram.com/",
                    "https://news.example.org/deals", "");

    private final CustomerTimeline tl;
    private final CustomerTraits traits;
    private final Catalog catalog;

    WebSessions(CustomerTimeline tl) {
        this.tl = tl;
        this.traits = tl.traits;
        this.catalog = tl.world.catalog;
    }

    /** Starts the browsing and purchase processes. */
    void begin(long from) {
        scheduleBrowse(from);
        schedulePurchase(from);
    }

    private void scheduleBrowse(long from) {
        long at = tl.nextArrival(from, traits.browseSessionsPerMonth(), 0.2);
        tl.schedule(
                at,
                () -> {
                    session(at, Intent.BROWSE, List.of(), -1, null);
                    scheduleBrowse(at);
                });
    }

    private void schedulePurchase(long from) {
        long at = tl.nextArrival(from, traits.purchasesPerMonth(), 0.05);
        tl.schedule(
                at,
                () -> {
                    if (tl.rnd.nextDouble() < Orders.STORE_SHARE) {
                        tl.orders.storePurchase(at);
                    } else {
                        session(at, Intent.BUY, List.of(), -1, null);
                    }
                    schedulePurchase(at);
                });
    }

    /** A session that starts from an e-mail click. */
    void fromEmail(long at, World.Campaign c) {
        session(at, Intent.FROM_EMAIL, List.of(), c.themeCategory(), tl.email.linkUrl(c));
    }

    /** The anonymous visit that ends in creating an account; returns the time of the identify. */
    long registration(long start) {
        Visit v = new Visit(tl, start, true);
        v.pageView(Visit.SHOP + "/", "Home", referrer());
        for (int i = tl.rnd.nextInt(3); i > 0; i--) {
            productView(v, category(-1));
        }
        v.pageView(Visit.SHOP + "/account/register", "Create account", null);
        v.identify();
        return v.t;
    }

    private void session(long start, Intent intent, List<Item> cart, int theme, String landing) {
        boolean pureAnonymous = intent == Intent.BROWSE && tl.rnd.nextDouble() < 0.08;
        boolean anonymousStart = !pureAnonymous && tl.rnd.nextDouble() < 0.15;
        Visit v = new Visit(tl, start, pureAnonymous || anonymousStart);
        if (landing != null) {
            v.pageView(landing, catalog.category(theme).label(), "https://mail.example.com/");
        } else if (intent == Intent.RETURN_TO_CART) {
            v.pageView(Visit.SHOP + "/cart", "Your cart", referrer());
        } else {
            v.pageView(Visit.SHOP + "/", "Home", referrer());
        }
        if (anonymousStart) {
            if (tl.rnd.nextDouble() < 0.6) {
                productView(v, category(theme));
            }
            v.identify();
        }
        switch (intent) {
            case BROWSE -> browse(v, theme, pureAnonymous);
            case BUY -> shop(v, theme);
            case RETURN_TO_CART -> {
                v.cart.addAll(cart);
                if (tl.rnd.nextDouble() < 0.4) {
                    v.productView(cart.get(tl.rnd.nextInt(cart.size())).product());
                }
                checkout(v, 0.85, 0.0);
            }
            case FROM_EMAIL -> {
                double buy =
                        Math.min(0.5, 0.08 + 0.12 * traits.purchasesPerMonth())
                                * tl.churnFactor(start, 0.2);
                if (tl.rnd.nextDouble() < buy) {
                    shop(v, theme);
                } else {
                    browse(v, theme, false);
                }
            }
        }
    }

    private void browse(Visit v, int theme, boolean anonymous) {
        if (tl.rnd.nextDouble() < 0.15) {
            search(v, category(theme));
        }
        int views = 1 + (int) Math.min(9, CustomerTraits.expo(tl.rnd, 1.8));
        for (int i = 0; i < views; i++) {
            Catalog.Product p = productView(v, category(theme));
            if (tl.rnd.nextDouble() < 0.1) {
                v.addToCart(p);
            }
        }
        if (!v.cart.isEmpty() && tl.rnd.nextDouble() < 0.2) {
            v.removeFromCart();
        }
        if (!v.cart.isEmpty() && !anonymous) {
            if (tl.rnd.nextDouble() < 0.15) {
                v.checkoutStarted();
            }
            maybeReturnLater(v, 0.25, World.HOUR, 5 * World.DAY);
        }
    }

    private void shop(Visit v, int theme) {
        int items = 1 + (int) Math.min(5, CustomerTraits.expo(tl.rnd, traits.basketSize() - 1));
        int views = items + (int) Math.min(6, CustomerTraits.expo(tl.rnd, 1.5));
        if (tl.rnd.nextDouble() < 0.2) {
            search(v, category(theme));
        }
        for (int i = 0; i < views; i++) {
            Catalog.Product p = productView(v, category(theme));
            int wanted = items - v.cart.size();
            if (wanted > 0 && (views - i <= wanted || tl.rnd.nextDouble() < 0.5)) {
                v.addToCart(p);
            }
        }
        if (v.cart.size() > 1 && tl.rnd.nextDouble() < 0.12) {
            v.removeFromCart();
        }
        if (v.cart.isEmpty()) {
            v.addToCart(productView(v, category(theme)));
        }
        checkout(v, 0.8, 0.6);
    }

    private void checkout(Visit v, double completeShare, double returnShare) {
        v.checkoutStarted();
        if (tl.rnd.nextDouble() < completeShare) {
            v.t += 20 * World.SECOND + tl.rnd.nextLong(4 * World.MINUTE);
            tl.orders.complete(v.t, v.who, List.copyOf(v.cart));
        } else {
            maybeReturnLater(v, returnShare, 30 * World.MINUTE, 3 * World.DAY);
        }
    }

    private void maybeReturnLater(Visit v, double share, long minDelay, long maxDelay) {
        if (tl.rnd.nextDouble() < share) {
            List<Item> saved = List.copyOf(v.cart);
            long at = tl.daytime(v.t + minDelay + tl.rnd.nextLong(maxDelay - minDelay));
            tl.schedule(at, () -> session(at, Intent.RETURN_TO_CART, saved, -1, null));
        }
    }

    private int category(int theme) {
        if (theme >= 0 && tl.rnd.nextDouble() < 0.6) {
            return theme;
        }
        if (tl.rnd.nextDouble() < 0.8) {
            int[] preferred = traits.preferredCategories();
            return preferred[tl.rnd.nextInt(preferred.length)];
        }
        return catalog.randomCategory(tl.rnd);
    }

    private Catalog.Product productView(Visit v, int category) {
        return v.productView(catalog.pick(category, traits.priceLevel(), tl.rnd));
    }

    private void search(Visit v, int category) {
        v.search(catalog.category(category).label().toLowerCase());
    }

    private String referrer() {
        return REFERRERS.get(tl.rnd.nextInt(REFERRERS.size()));
    }
}
