package io.personalize.core.recommend;

import static io.personalize.core.recommend.Recommendation.CO_OCCURRENCE;
import static io.personalize.core.recommend.TestShop.T0;
import static io.personalize.core.recommend.TestShop.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Co-occurrence candidates: scoring, affinity weighting, exclusions and the fields shown. */
class RecommenderTest {

    private final TestShop shop = new TestShop();

    @Test
    void recommendsWhatCoOccursWithTheCartBestFirst() {
        shop.together("cart-shoe", "x", 5.0);
        shop.together("cart-shoe", "y", 3.0);
        shop.together("cart-shoe", "z", 1.0);
        shop.together("cart-shoe", "w", 0.5);

        assertThat(shop.recommend(new TestCustomer().cart("cart-shoe")))
                .extracting(r -> r.productId, r -> r.source, r -> r.score)
                .containsExactly(
                        tuple("x", CO_OCCURRENCE, 5.0),
                        tuple("y", CO_OCCURRENCE, 3.0),
                        tuple("z", CO_OCCURRENCE, 1.0));
    }

    @Test
    void neverRecommendsProductsInTheCart() {
        shop.together("a", "b", 9.0);
        shop.together("a", "c", 1.0);

        assertThat(ids(shop.recommend(new TestCustomer().cart("a", "b")))).containsExactly("c");
    }

    @Test
    void neverRecommendsProductsAlreadyBought() {
        shop.together("a", "b", 9.0);
        shop.together("a", "c", 1.0);

        assertThat(ids(shop.recommend(new TestCustomer().cart("a").bought("b"))))
                .containsExactly("c");
    }

    @Test
    void neverRecommendsProductsOutOfStock() {
        shop.together("a", "b", 9.0);
        shop.together("a", "c", 1.0);
        shop.product("b", "Sold out", false);

        assertThat(ids(shop.recommend(new TestCustomer().cart("a")))).containsExactly("c");
    }

    @Test
    void recommendsAProductWithUnknownStockWithItsCatalogFields() {
        shop.together("a", "b", 2.0);
        shop.add(new ProductInfo("b", "Blue bag", "bags", 30.0, "https://img/b.jpg", null));

        assertThat(shop.recommend(new TestCustomer().cart("a")))
                .containsExactly(
                        new Recommendation(
                                "b",
                                "Blue bag",
                                "bags",
                                30.0,
                                "https://img/b.jpg",
                                CO_OCCURRENCE,
                                2.0));
    }

    @Test
    void recommendsAProductTheCatalogDoesNotKnowWithOnlyTheKnownFields() {
        shop.together("a", "b", 2.0);
        shop.model.record("b", "bags", 1.0, T0, List.of());

        assertThat(shop.recommend(new TestCustomer().cart("a")))
                .containsExactly(
                        new Recommendation("b", null, "bags", null, null, CO_OCCURRENCE, 2.0));
    }

    @Test
    void aCartProductCountsTwiceAsMuchAsARecentView() {
        shop.together("in-cart", "x", 1.0);
        shop.together("viewed", "y", 1.5);

        assertThat(shop.recommend(new TestCustomer().cart("in-cart").views("viewed")))
                .extracting(r -> r.productId, r -> r.score)
                .startsWith(tuple("x", 1.0), tuple("y", 0.75));
    }

    @Test
    void weightsOfAllSeedsAddUp() {
        shop.together("a", "x", 1.0);
        shop.together("b", "x", 1.0);
        shop.together("a", "y", 1.5);

        assertThat(ids(shop.recommend(new TestCustomer().cart("a", "b")))).startsWith("x", "y");
    }

    @Test
    void affinityForACategoryChangesTheOrder() {
        shop.together("a", "shoe", 3.0);
        shop.together("a", "bag", 2.0);
        shop.product("shoe", "shoes");
        shop.product("bag", "bags");

        assertThat(ids(shop.recommend(new TestCustomer().cart("a")))).startsWith("shoe", "bag");
        assertThat(shop.recommend(new TestCustomer().cart("a").affinity("bags", 0.8)))
                .extracting(r -> r.productId, r -> r.score)
                .startsWith(tuple("bag", 4.0), tuple("shoe", 3.0));
    }

    @Test
    void affinityIsNormalisedSoTheTopCategoryCountsDouble() {
        shop.together("a", "shoe", 3.0);
        shop.together("a", "bag", 2.0);
        shop.product("shoe", "shoes");
        shop.product("bag", "bags");

        assertThat(
                        shop.recommend(
                                new TestCustomer()
                                        .cart("a")
                                        .affinity("bags", 0.4)
                                        .affinity("shoes", 0.2)))
                .extracting(r -> r.productId, r -> r.score)
                .startsWith(tuple("shoe", 4.5), tuple("bag", 4.0));
    }

    @Test
    void equalScoresAreOrderedByProductId() {
        shop.together("a", "y", 1.0);
        shop.together("a", "x", 1.0);
        shop.together("a", "z", 1.0);

        assertThat(ids(shop.recommend(new TestCustomer().cart("a"))))
                .containsExactly("x", "y", "z");
    }

    @Test
    void nullListsAndMapsCountAsEmpty() {
        shop.popular("p1", "shoes", 3.0);

        CustomerContext allNull = new CustomerContext(null, null, null, null, T0);

        assertThat(ids(shop.recommend(new Recommender(3), allNull))).containsExactly("p1");
    }

    @Test
    void anEmptyModelRecommendsNothing() {
        assertThat(shop.recommend(new TestCustomer().cart("a").affinity("bags", 1.0))).isEmpty();
    }

    @Test
    void theCountIsConfigurableAndThreeByDefault() {
        for (String id : List.of("p1", "p2", "p3", "p4", "p5")) {
            shop.popular(id, null, 1.0);
        }

        assertThat(new Recommender().count()).isEqualTo(3);
        assertThat(shop.recommend(new Recommender(5), new CustomerContext())).hasSize(5);
    }
}
