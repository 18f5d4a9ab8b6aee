package io.personalize.core.features;

import static io.personalize.core.features.FeatureType.DOUBLE;
import static io.personalize.core.features.FeatureType.LONG;
import static io.personalize.core.features.FeatureType.STRING;
import static io.personalize.core.features.FeatureType.STRING_DOUBLE_MAP;
import static io.personalize.core.features.FeatureType.STRING_LIST;
import static io.personalize.core.features.FeatureType.TIMESTAMP;

import io.personalize.core.features.declared.DeclaredFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every feature, defined once. Segment rules, flow rules and model cards refer to features by these
 * names only; docs/features.md is generated from this list ({@link #markdownTable()}).
 */
public final class FeatureRegistry {
    private static final Duration D7 = Duration.ofDays(7);
    private static final Duration D30 = Duration.ofDays(30);
    private static final Duration D60 = Duration.ofDays(60);
    private static final Duration D90 = Duration.ofDays(90);

    private static final FeatureRegistry STANDARD = new FeatureRegistry(standardDefinitions());

    private final Map<String, FeatureDefinition> byName = new LinkedHashMap<>();

    /** The declared features this registry adds to the standard ones (empty for the standard). */
    private final List<DeclaredFeature> declared;

    private FeatureRegistry(List<FeatureDefinition> definitions) {
        this(definitions, List.of());
    }

    private FeatureRegistry(List<FeatureDefinition> definitions, List<DeclaredFeature> declared) {
        this.declared = List.copyOf(declared);
        for (FeatureDefinition definition : definitions) {
            if (byName.put(definition.name(), definition) != null) {
                throw new IllegalStateException("feature " + definition.name() + " defined twice");
            }
        }
    }

    public static FeatureRegistry standard() {
        return STANDARD;
    }

    /**
     * This registry with a deployment's declared features after its own (see {@link
     * io.personalize.core.features.declared.DeclaredFeatures}); their values are read from the
     * declared maps of {@link CustomerFeatures}. A declared name that is already defined is
     * refused.
     *
     * <pre>{@code
     * FeatureRegistry registry = FeatureRegistry.standard().with(declared.features());
     * }</pre>
     */
    public FeatureRegistry with(List<DeclaredFeature> features) {
        if (features.isEmpty()) {
            return this;
        }
        List<FeatureDefinition> definitions = new ArrayList<>(byName.values());
        for (DeclaredFeature d : features) {
            String name = d.name();
            FeatureType type = d.type();
            definitions.add(
                    new FeatureDefinition(
                            name,
                            type,
                            d.unit(),
                            d.window(),
                            d.describe(),
                            d.defaultValue(),
                            d.maxAge(),
                            f -> f.declared(name, type)));
        }
        List<DeclaredFeature> all = new ArrayList<>(declared);
        all.addAll(features);
        return new FeatureRegistry(definitions, all);
    }

    /** The declared features of this registry, in the order they were added. */
    public List<DeclaredFeature> declared() {
        return declared;
    }

    public List<FeatureDefinition> all() {
        return List.copyOf(byName.values());
    }

    public Optional<FeatureDefinition> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The named feature's value in a snapshot, or its default when missing. */
    public Object value(String name, CustomerFeatures features) {
        FeatureDefinition definition = byName.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("unknown feature '" + name + "'");
        }
        Object value = definition.valueOf(features);
        return value != null ? value : definition.defaultValue();
    }

    /** The registry as a Markdown table (docs/features.md). */
    public String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append("| name | type | unit | window | default | max age | description |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (FeatureDefinition d : byName.values()) {
            out.append("| `")
                    .append(d.name())
                    .append("` | ")
                    .append(d.type().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ")
                    .append(orDash(d.unit()))
                    .append(" | ")
                    .append(d.window() == null ? "—" : days(d.window()))
                    .append(" | ")
                    .append(
                            d.defaultValue() == null
                                    ? "none (unknown)"
                                    : "`" + d.defaultValue() + "`")
                    .append(" | ")
                    .append(d.maxAge() == null ? "—" : days(d.maxAge()))
                    .append(" | ")
                    .append(d.description())
                    .append(" |\n");
        }
        return out.toString();
    }

    /** Whole days as {@code 7 d}; a window or age of another length in its ISO form. */
    private static String days(Duration duration) {
        return duration.toHoursPart() == 0
                        && duration.toMinutesPart() == 0
                        && duration.toSecondsPart() == 0
                        && duration.toMillisPart() == 0
                ? duration.toDays() + " d"
                : duration.toString();
    }

    private static String orDash(String text) {
        return text == null ? "—" : text;
    }

    private static List<FeatureDefinition> standardDefinitions() {
        List<FeatureDefinition> list = new ArrayList<>();
        Builder b = new Builder(list);
        b.add(
                "last_purchase_at",
                TIMESTAMP,
                "UTC",
                null,
                null,
                null,
                "time of the latest order or order line",
                f -> f.lastPurchaseAt);
        b.add(
                "first_purchase_at",
                TIMESTAMP,
                "UTC",
                null,
                null,
                null,
                "time of the first order seen",
                f -> f.firstPurchaseAt);
        b.add(
                "days_since_last_purchase",
                LONG,
                "days",
                null,
                null,
                null,
                "whole days from the latest purchase to as_of",
                f -> f.daysSinceLastPurchase);
        b.add(
                "orders_7d",
                LONG,
                "orders",
                D7,
                0L,
                null,
                "distinct orders in the last 7 days, at their earliest line (orders cancelled with nothing left excluded)",
                f -> f.orders7d);
        b.add(
                "orders_30d",
                LONG,
                "orders",
                D30,
                0L,
                null,
                "distinct orders in the last 30 days",
                f -> f.orders30d);
        b.add(
                "orders_60d",
                LONG,
                "orders",
                D60,
                0L,
                null,
                "distinct orders in the last 60 days",
                f -> f.orders60d);
        b.add(
                "orders_90d",
                LONG,
                "orders",
                D90,
                0L,
                null,
                "distinct orders in the last 90 days",
                f -> f.orders90d);
        b.add(
                "lifetime_orders",
                LONG,
                "orders",
                null,
                0L,
                null,
                "distinct order ids ever seen, less orders cancelled with nothing left; an id is remembered for personalize.features.order-horizon (400 d) after its latest event, so a late line of a known order is never a new order",
                f -> f.lifetimeOrders);
        b.add(
                "revenue_30d",
                DOUBLE,
                "currency",
                D30,
                0.0,
                null,
                "net revenue of orders in the last 30 days: lines and totals less cancellations and refunds, at their order's time (at their own time when the order is unknown); negative when more went out; one currency per deployment",
                f -> f.revenue30d);
        b.add(
                "revenue_90d",
                DOUBLE,
                "currency",
                D90,
                0.0,
                null,
                "net revenue of orders in the last 90 days (as revenue_30d)",
                f -> f.revenue90d);
        b.add(
                "lifetime_revenue",
                DOUBLE,
                "currency",
                null,
                0.0,
                null,
                "signed sum of every amount in and out: order lines and totals less every cancellation and refund (one matching no order counts once, as an adjustment); negative when more went out",
                f -> f.lifetimeRevenue);
        b.add(
                "avg_order_value",
                DOUBLE,
                "currency",
                null,
                null,
                null,
                "lifetime revenue / lifetime orders",
                f -> f.avgOrderValue);
        b.add(
                "product_views_7d",
                LONG,
                "views",
                D7,
                0L,
                null,
                "product views in the last 7 days",
                f -> f.productViews7d);
        b.add(
                "sessions_7d",
                LONG,
                "sessions",
                D7,
                0L,
                null,
                "distinct web sessions started in the last 7 days (a session id counts from its first event; events without ids start one after a 30 min gap, measured between their clock minutes)",
                f -> f.sessions7d);
        b.add(
                "add_to_carts_7d",
                LONG,
                "events",
                D7,
                0L,
                null,
                "add-to-cart events in the last 7 days",
                f -> f.addToCarts7d);
        b.add(
                "recently_viewed_products",
                STRING_LIST,
                "product ids",
                D7,
                List.of(),
                null,
                "distinct products viewed in the last 7 days, newest first, at most 50",
                f -> f.recentlyViewedProducts);
        b.add(
                "cart_items",
                LONG,
                "units",
                null,
                0L,
                null,
                "units in the open cart; the cart depends on arrival order (adds, removals and purchases of one product do not commute; a late add before a purchase of it, or a removal before its add within a day, is handled)",
                f -> f.cartItems);
        b.add(
                "cart_value",
                DOUBLE,
                "currency",
                null,
                0.0,
                null,
                "value of the open cart, at each product's latest price (arrival order: see cart_items)",
                f -> f.cartValue);
        b.add(
                "cart_product_ids",
                STRING_LIST,
                "product ids",
                null,
                List.of(),
                null,
                "products in the open cart, in arrival order (see cart_items)",
                f -> f.cartProductIds);
        b.add(
                "emails_delivered_30d",
                LONG,
                "emails",
                D30,
                0L,
                null,
                "emails delivered in the last 30 days",
                f -> f.emailsDelivered30d);
        b.add(
                "email_opens_30d",
                LONG,
                "opens",
                D30,
                0L,
                null,
                "email opens in the last 30 days",
                f -> f.emailOpens30d);
        b.add(
                "email_clicks_30d",
                LONG,
                "clicks",
                D30,
                0L,
                null,
                "email clicks in the last 30 days",
                f -> f.emailClicks30d);
        b.add(
                "email_open_rate_30d",
                DOUBLE,
                "ratio",
                D30,
                null,
                null,
                "opens / deliveries in the last 30 days (capped at 1); unknown without deliveries",
                f -> f.emailOpenRate30d);
        b.add(
                "email_click_rate_30d",
                DOUBLE,
                "ratio",
                D30,
                null,
                null,
                "clicks / deliveries in the last 30 days (capped at 1)",
                f -> f.emailClickRate30d);
        b.add(
                "days_since_last_open",
                LONG,
                "days",
                null,
                null,
                null,
                "whole days from the latest email open to as_of",
                f -> f.daysSinceLastOpen);
        b.add(
                "engagement_score",
                DOUBLE,
                "score 0..1",
                null,
                0.0,
                null,
                "1 - exp(-m), m = opens x 0.3 + clicks x 0.7, each halving every 30 days (configurable)",
                f -> f.engagementScore);
        b.add(
                "category_affinity",
                STRING_DOUBLE_MAP,
                "share",
                null,
                Map.of(),
                null,
                "share of decayed interest per category (view 1, cart 3, purchase 5; half-life 30 days); shares sum to 1; at most 20 categories: which one a 21st evicts depends on arrival order",
                f -> f.categoryAffinity);
        b.add(
                "top_categories",
                STRING_LIST,
                "categories",
                null,
                List.of(),
                null,
                "the three categories with the highest affinity",
                f -> f.topCategories);
        b.add(
                "age",
                LONG,
                "years",
                null,
                null,
                null,
                "age at as_of, from birth_date, else birth_year",
                f -> f.age);
        b.add(
                "loyalty_tier",
                STRING,
                null,
                null,
                null,
                null,
                "latest loyalty tier from the CRM",
                f -> f.loyaltyTier);
        b.add(
                "country",
                STRING,
                null,
                null,
                null,
                null,
                "latest country from the CRM or an order",
                f -> f.country);
        b.add(
                "timezone",
                STRING,
                "IANA zone",
                null,
                null,
                null,
                "latest time zone from the CRM",
                f -> f.timezone);
        b.add(
                "email_consent",
                STRING,
                null,
                null,
                "unknown",
                null,
                "true / false / unknown: the latest consent change for email by event time (false wins a tie); unsubscribe or complaint is false; without any consent information personalize.input.consent-default (unknown)",
                f -> f.emailConsent);
        b.add(
                "lifecycle_stage",
                STRING,
                null,
                null,
                "never_purchased",
                null,
                "never_purchased, new (first purchase within 30 d), active, at_risk (no purchase for 60 d), lapsed (120 d); thresholds configurable",
                f -> f.lifecycleStage);
        b.add(
                "attribute_score",
                DOUBLE,
                "score 0..1",
                null,
                null,
                null,
                "configurable weighted mean of normalised features (default: orders_90d, revenue_90d, engagement_score)",
                f -> f.attributeScore);
        b.add(
                "suppressed",
                STRING,
                null,
                null,
                "false",
                null,
                "true / false: the address gets no email from any flow: a hard bounce, a spam complaint, personalize.suppression.soft-bounce-threshold (3) soft bounces after the latest delivery, or the address on the suppression list (while it is on it)",
                f -> f.suppressed);
        b.add(
                "suppression_reason",
                STRING,
                null,
                null,
                null,
                null,
                "hard_bounce, complaint, soft_bounces or suppression_list: the earliest suppression by event time (of two at the same instant, the first by name); unknown when not suppressed",
                f -> f.suppressionReason);
        b.add(
                "suppressed_at",
                TIMESTAMP,
                "UTC",
                null,
                null,
                null,
                "event time of that suppression (for the list: the customer's time when their address was found on it)",
                f -> f.suppressedAt);
        b.add(
                "soft_bounces",
                LONG,
                "bounces",
                null,
                0L,
                null,
                "soft bounces (any bounce not typed hard) after the latest delivery, counted up to the threshold; the run that reached it suppresses for good, even if a delivery between its bounces arrives later",
                f -> f.softBounces);
        return Collections.unmodifiableList(list);
    }

    private record Builder(List<FeatureDefinition> list) {
        void add(
                String name,
                FeatureType type,
                String unit,
                Duration window,
                Object defaultValue,
                Duration maxAge,
                String description,
                Function<CustomerFeatures, Object> accessor) {
            list.add(
                    new FeatureDefinition(
                            name, type, unit, window, description, defaultValue, maxAge, accessor));
        }
    }
}
