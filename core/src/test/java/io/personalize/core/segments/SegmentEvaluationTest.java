package io.personalize.core.segments;

import static io.personalize.core.testing.Times.DAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.features.CustomerFeatures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentEvaluationTest {
    private static final long NOW = 1_750_000_000_000L;
    private static final String PHONE = "p-electronics.smartphone-01";

    private final CompiledSegments defaults = compile(SegmentDefinitions.defaultsText());

    private static CompiledSegments compile(String yaml) {
        try {
            return SegmentCompiler.standard().compile(yaml);
        } catch (SegmentValidationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static CompiledSegments rules(String... idAndRule) {
        StringBuilder yaml = new StringBuilder("version: 7\nsegments:\n");
        for (int i = 0; i < idAndRule.length; i += 2) {
            yaml.append("  - id: ").append(idAndRule[i]).append("\n    name: n\n    rule: \"");
            yaml.append(idAndRule[i + 1]).append("\"\n");
        }
        return compile(yaml.toString());
    }

    /** A customer who never purchased and has only defaults (no age, tier, ...). */
    private static CustomerFeatures blank() {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = "c-1";
        f.asOf = NOW;
        return f;
    }

    private static CustomerFeatures buyer(int ordersLast30d, long daysSinceLastPurchase) {
        CustomerFeatures f = blank();
        f.lifetimeOrders = ordersLast30d + 2;
        f.orders30d = ordersLast30d;
        f.orders60d = ordersLast30d;
        f.lastPurchaseAt = NOW - daysSinceLastPurchase * DAY;
        f.daysSinceLastPurchase = daysSinceLastPurchase;
        return f;
    }

    private Membership of(String id, CustomerFeatures f) {
        return defaults.evaluate(f, NOW, ViewedProducts.none()).get(id).membership();
    }

    @Test
    void frequentBuyersNeedMoreThanThreeOrdersIn30Days() {
        assertThat(of("frequent_buyers", buyer(4, 2))).isEqualTo(Membership.MEMBER);
        assertThat(of("frequent_buyers", buyer(3, 2))).isEqualTo(Membership.NOT_MEMBER);
        assertThat(of("frequent_buyers", blank())).isEqualTo(Membership.NOT_MEMBER);
    }

    @Test
    void recentBuyersPurchasedWithin7DaysAndNeverPurchasedIsNotAMember() {
        assertThat(of("recent_buyers", buyer(1, 7))).isEqualTo(Membership.MEMBER);
        assertThat(of("recent_buyers", buyer(1, 8))).isEqualTo(Membership.NOT_MEMBER);
        assertThat(of("recent_buyers", blank())).isEqualTo(Membership.NOT_MEMBER);
    }

    @Test
    void lapsedCustomersHaveNoOrderIn60DaysButPurchasedBefore() {
        CustomerFeatures lapsed = buyer(0, 61);
        assertThat(of("lapsed_customers", lapsed)).isEqualTo(Membership.MEMBER);
        assertThat(of("lapsed_customers", buyer(1, 20))).isEqualTo(Membership.NOT_MEMBER);
        assertThat(of("lapsed_customers", blank())).isEqualTo(Membership.NOT_MEMBER);
    }

    @Test
    void cartAbandonersViewedTheProductWithin7DaysAndHaveItInTheCart() {
        CustomerFeatures f = blank();
        f.cartProductIds = List.of(PHONE);
        ViewedProducts viewed = new ViewedProducts(Map.of(PHONE, NOW - 7 * DAY));
        ViewedProducts old = new ViewedProducts(Map.of(PHONE, NOW - 7 * DAY - 1));
        String id = "smartphone_cart_abandoners";
        assertThat(defaults.evaluate(f, NOW, viewed).get(id).membership())
                .isEqualTo(Membership.MEMBER);
        assertThat(defaults.evaluate(f, NOW, old).get(id).membership())
                .isEqualTo(Membership.NOT_MEMBER);
        assertThat(defaults.evaluate(blank(), NOW, viewed).get(id).membership())
                .isEqualTo(Membership.NOT_MEMBER);
    }

    @Test
    void gold25To34NeedsAgeAndTier() {
        CustomerFeatures f = blank();
        f.age = 30L;
        f.loyaltyTier = "gold";
        assertThat(of("gold_25_34", f)).isEqualTo(Membership.MEMBER);
        f.age = 35L;
        assertThat(of("gold_25_34", f)).isEqualTo(Membership.NOT_MEMBER);
        f.age = null;
        SegmentResult unknown = defaults.evaluate(f, NOW, null).get("gold_25_34");
        assertThat(unknown.membership()).isEqualTo(Membership.UNKNOWN);
        assertThat(unknown.reason()).contains("age");
        f.loyaltyTier = "silver";
        assertThat(of("gold_25_34", f))
                .as("false decides despite the missing age")
                .isEqualTo(Membership.NOT_MEMBER);
    }

    @Test
    void highValueUnengagedSpentAndOpenedNothing() {
        CustomerFeatures f = buyer(1, 3);
        f.revenue30d = 450.0;
        assertThat(of("high_value_unengaged", f)).isEqualTo(Membership.MEMBER);
        f.emailOpens30d = 1;
        assertThat(of("high_value_unengaged", f)).isEqualTo(Membership.NOT_MEMBER);
    }

    @Test
    void unionIntersectionAndDifferenceOfDefaults() {
        CustomerFeatures frequentRecent = buyer(5, 1);
        CustomerFeatures recentOnly = buyer(1, 1);
        assertThat(of("recent_or_frequent", recentOnly)).isEqualTo(Membership.MEMBER);
        assertThat(of("recent_not_frequent", recentOnly)).isEqualTo(Membership.MEMBER);
        assertThat(of("recent_not_frequent", frequentRecent)).isEqualTo(Membership.NOT_MEMBER);
        assertThat(of("frequent_gold_25_34", frequentRecent)).isEqualTo(Membership.UNKNOWN);
        frequentRecent.age = 28L;
        frequentRecent.loyaltyTier = "gold";
        assertThat(of("frequent_gold_25_34", frequentRecent)).isEqualTo(Membership.MEMBER);
        assertThat(of("recent_or_frequent", blank())).isEqualTo(Membership.NOT_MEMBER);
    }

    @Test
    void missingFeatureWithoutDefaultIsUnknownWithAReason() {
        CompiledSegments s = rules("older", "age > 30", "frequent", "orders_30d > 3");
        Map<String, SegmentResult> r = s.evaluate(blank(), NOW, null);
        assertThat(r.get("older").membership()).isEqualTo(Membership.UNKNOWN);
        assertThat(r.get("older").reason()).isEqualTo("no value for age");
        assertThat(r.get("older").isMember()).isFalse();
        assertThat(r.get("frequent").membership()).isEqualTo(Membership.NOT_MEMBER);
    }

    @Test
    void unknownPropagatesThroughInSegmentUnlessTheOtherSideDecides() {
        CompiledSegments s =
                rules(
                        "older", "age > 30",
                        "both", "in_segment('older') && orders_30d > 3",
                        "either", "in_segment('older') || orders_30d == 0",
                        "notOlder", "!in_segment('older')");
        Map<String, SegmentResult> r = s.evaluate(blank(), NOW, null);
        assertThat(r.get("both").membership()).isEqualTo(Membership.NOT_MEMBER);
        assertThat(r.get("either").membership()).isEqualTo(Membership.MEMBER);
        assertThat(r.get("notOlder").membership()).isEqualTo(Membership.UNKNOWN);
        assertThat(r.get("notOlder").reason()).contains("older").contains("age");
    }

    @Test
    void differenceUnionAndIntersectionOfSegments() {
        CompiledSegments s =
                rules(
                        "diff", "in_segment('a') && !in_segment('b')",
                        "union", "in_segment('a') || in_segment('b')",
                        "inter", "in_segment('a') && in_segment('b')",
                        "a", "orders_30d > 0",
                        "b", "cart_items > 0");
        assertThat(s.evaluationOrder().indexOf("a"))
                .isLessThan(s.evaluationOrder().indexOf("diff"));
        for (int orders = 0; orders <= 1; orders++) {
            for (int cart = 0; cart <= 1; cart++) {
                CustomerFeatures f = blank();
                f.orders30d = orders;
                f.cartItems = cart;
                Map<String, SegmentResult> r = s.evaluate(f, NOW, null);
                boolean a = orders > 0;
                boolean b = cart > 0;
                assertThat(r.get("diff").isMember()).isEqualTo(a && !b);
                assertThat(r.get("union").isMember()).isEqualTo(a || b);
                assertThat(r.get("inter").isMember()).isEqualTo(a && b);
            }
        }
    }

    @Test
    void timestampsDurationsListsAndAffinityWork() {
        CompiledSegments s =
                rules(
                        "lapsedExact", "as_of - last_purchase_at >= duration('1440h')",
                        "shoes", "category_affinity('apparel.shoes') > 0.5",
                        "inCart", "'x' in cart_product_ids && size(cart_product_ids) == 1");
        CustomerFeatures f = buyer(0, 60);
        f.categoryAffinity = Map.of("apparel.shoes", 0.6);
        f.cartProductIds = List.of("x");
        Map<String, SegmentResult> r = s.evaluate(f, NOW, null);
        assertThat(r.values()).allMatch(SegmentResult::isMember);
        f.lastPurchaseAt = NOW - 60 * DAY + 1;
        assertThat(s.evaluate(f, NOW, null).get("lapsedExact").isMember()).isFalse();
    }

    /** One rule per operator on a customer with 4 orders in 30 days, tier gold, shoes 0.6. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} is {1}")
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = ';',
            quoteCharacter = '"',
            value = {
                "orders_30d == 4 ; true",
                "orders_30d != 4 ; false",
                "orders_30d < 4 ; false",
                "orders_30d <= 4 ; true",
                "orders_30d > 3 ; true",
                "orders_30d >= 5 ; false",
                "orders_30d > 3 && loyalty_tier == 'gold' ; true",
                "orders_30d > 9 || loyalty_tier == 'gold' ; true",
                "!(orders_30d > 3) ; false",
                "(orders_30d > 3 ? 'yes' : 'no') == 'yes' ; true",
                "loyalty_tier in ['gold', 'platinum'] ; true",
                "orders_30d in [1, 2, 3] ; false",
                "orders_30d + 1 == 5 && orders_30d - 1 == 3 ; true",
                "orders_30d * 2 == 8 && orders_30d / 3 == 1 && orders_30d % 3 == 1 ; true",
                "revenue_30d / double(orders_30d) >= 50.0 ; true",
                "orders_30d > 3.5 ; true",
                "loyalty_tier.startsWith('go') && loyalty_tier.contains('ol') ; true",
                "size(loyalty_tier) == 4 ; true",
                "as_of - last_purchase_at < duration('48h') ; true",
                "last_purchase_at + duration('48h') > as_of ; true",
                "as_of > timestamp('2020-01-01T00:00:00Z') ; true",
                "category_affinity('apparel.shoes') > 0.5 && category_affinity('toys') == 0.0 ; true",
                "cart_product_ids.exists(p, p.startsWith('p-')) ; true",
                "cart_product_ids.all(p, p == 'p-1') ; true",
            })
    void everyOperatorEvaluates(String rule, boolean member) {
        CustomerFeatures f = buyer(4, 1);
        f.revenue30d = 200.0;
        f.loyaltyTier = "gold";
        f.categoryAffinity = Map.of("apparel.shoes", 0.6);
        f.cartProductIds = List.of("p-1");
        SegmentResult r = rules("s", rule.replace("\"", "\\\"")).evaluate(f, NOW, null).get("s");
        assertThat(r.membership())
                .as(rule)
                .isEqualTo(member ? Membership.MEMBER : Membership.NOT_MEMBER);
    }

    @Test
    void otherEvaluationErrorsAreUnknownNotExceptions() {
        CompiledSegments s = rules("div", "1 / (orders_30d - orders_30d) > 0");
        SegmentResult r = s.evaluate(blank(), NOW, null).get("div");
        assertThat(r.membership()).isEqualTo(Membership.UNKNOWN);
        assertThat(r.reason()).contains("by zero");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(defaults);
        }
        CompiledSegments copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (CompiledSegments) in.readObject();
        }
        assertThat(copy.version()).isEqualTo(defaults.version());
        CustomerFeatures f = buyer(5, 1);
        assertThat(copy.evaluate(f, NOW, null)).isEqualTo(defaults.evaluate(f, NOW, null));
    }
}
