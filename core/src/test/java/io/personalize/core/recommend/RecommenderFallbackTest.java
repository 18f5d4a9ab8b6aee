package io.personalize.core.recommend;

import static io.personalize.core.recommend.Recommendation.CO_OCCURRENCE;
import static io.personalize.core.recommend.Recommendation.POPULAR;
import static io.personalize.core.recommend.Recommendation.TRENDING_CATEGORY;
import static io.personalize.core.recommend.TestShop.T0;
import static io.personalize.core.recommend.TestShop.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When co-occurrence gives too few products: trending in the top category, then popular. */
class RecommenderFallbackTest {

    private final TestShop shop = new TestShop();

    @Test
    void fillsUpFromTrendingInTheTopAffinityCategory() {
        shop.together("a", "x", 1.0);
        shop.popular("bag-1", "bags", 10.0);
        shop.popular("bag-2", "bags", 5.0);
        shop.popular("shoe-hit", "shoes", 100.0);

        assertThat(
                        shop.recommend(
                                new TestCustomer()
                                        .cart("a")
                                        .affinity("bags", 0.7)
                                        .affinity("shoes", 0.1)))
                .extracting(r -> r.productId, r -> r.source, r -> r.score)
                .containsExactly(
                        tuple("x", CO_OCCURRENCE, 1.0),
                        tuple("bag-1", TRENDING_CATEGORY, 10.0),
                        tuple("bag-2", TRENDING_CATEGORY, 5.0));
    }

    @Test
    void withoutAffinityTrendingFollowsTheNewestCartProduct() {
        shop.product("old-cart", "shoes");
        shop.product("new-cart", "bags");
        shop.popular("shoe-hit", "shoes", 100.0);
        shop.popular("bag-hit", "bags", 10.0);

        assertThat(shop.recommend(new TestCustomer().cart("old-cart", "new-cart")).get(0))
                .extracting(r -> r.productId, r -> r.source)
                .containsExactly("bag-hit", TRENDING_CATEGORY);
    }

    @Test
    void withoutAffinityOrCartTrendingFollowsTheNewestRecentView() {
        shop.popular("shoe-hit", "shoes", 100.0);
        shop.popular("bag-hit", "bags", 10.0);
        shop.model.record("old-view", "shoes", 1.0, T0, List.of());
        shop.model.record("new-view", "bags", 1.0, T0, List.of());

        assertThat(shop.recommend(new TestCustomer().views("old-view", "new-view")).get(0))
                .extracting(r -> r.productId, r -> r.source)
                .containsExactly("bag-hit", TRENDING_CATEGORY);
    }

    @Test
    void fillsUpFromPopularWhenTrendingRunsOut() {
        shop.together("a", "x", 1.0);
        shop.popular("bag-1", "bags", 10.0);
        shop.popular("shoe-hit", "shoes", 100.0);

        assertThat(shop.recommend(new TestCustomer().cart("a").affinity("bags", 1.0)))
                .extracting(r -> r.productId, r -> r.source)
                .containsExactly(
                        tuple("x", CO_OCCURRENCE),
                        tuple("bag-1", TRENDING_CATEGORY),
                        tuple("shoe-hit", POPULAR));
    }

    @Test
    void fallbacksApplyTheSameExclusionsAndNeverRepeatAProduct() {
        shop.together("a", "bag-1", 1.0);
        shop.popular("bag-1", "bags", 50.0);
        shop.popular("bag-bought", "bags", 40.0);
        shop.popular("bag-sold-out", "bags", 30.0);
        shop.popular("bag-2", "bags", 20.0);
        shop.popular("hit", null, 5.0);
        shop.product("bag-sold-out", "Sold out", false);

        assertThat(
                        shop.recommend(
                                new TestCustomer()
                                        .cart("a")
                                        .bought("bag-bought")
                                        .affinity("bags", 1)))
                .extracting(r -> r.productId, r -> r.source)
                .containsExactly(
                        tuple("bag-1", CO_OCCURRENCE),
                        tuple("bag-2", TRENDING_CATEGORY),
                        tuple("hit", POPULAR));
    }

    @Test
    void aNewCustomerGetsThePopularProducts() {
        shop.popular("p1", "shoes", 3.0);
        shop.popular("p2", "bags", 2.0);
        shop.popular("p3", null, 2.0);
        shop.popular("p4", "hats", 1.0);

        assertThat(shop.recommend(new TestCustomer()))
                .extracting(r -> r.productId, r -> r.source, r -> r.score)
                .containsExactly(
                        tuple("p1", POPULAR, 3.0),
                        tuple("p2", POPULAR, 2.0),
                        tuple("p3", POPULAR, 2.0));
    }

    @Test
    void looksFurtherDownTheRankingWhenManyTopProductsAreOutOfStock() {
        for (int i = 0; i < 20; i++) {
            String id = String.format("sold-out-%02d", i);
            shop.popular(id, null, 100.0 - i);
            shop.product(id, "Sold out", false);
        }
        shop.popular("in-stock", null, 1.0);

        assertThat(ids(shop.recommend(new TestCustomer()))).containsExactly("in-stock");
    }
}
