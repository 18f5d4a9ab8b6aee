package io.personalize.core.recommend;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A model and a catalog to recommend from, filled by the test: {@code shop.together("a", "b", 2.0);
 * shop.recommend(new TestCustomer().cart("a"))}. Everything is recorded at {@link #T0}, so weights
 * are exactly the ones given.
 */
final class TestShop {
    static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();

    final CoOccurrenceModel model = new CoOccurrenceModel(Duration.ofDays(7), 50, 1_000);
    private final List<ProductInfo> products = new ArrayList<>();

    /**
     * {@code product} interacted with once ({@code weight}) in a session with {@code companion}.
     */
    void together(String product, String companion, double weight) {
        model.record(product, null, weight, T0, List.of(companion));
    }

    /** {@code product} interacted with on its own, adding {@code weight} to its popularity. */
    void popular(String product, String category, double weight) {
        model.record(product, category, weight, T0, List.of());
    }

    /** A catalog entry in stock with a name, a category and a price. */
    void product(String id, String category) {
        add(new ProductInfo(id, "Name of " + id, category, 10.0, null, true));
    }

    /** A catalog entry without category, in stock or not. */
    void product(String id, String name, boolean inStock) {
        add(new ProductInfo(id, name, null, 10.0, null, inStock));
    }

    void add(ProductInfo info) {
        products.add(info);
    }

    ProductCatalog catalog() {
        return ProductCatalog.of(products);
    }

    /** Three recommendations, as by default. */
    List<Recommendation> recommend(TestCustomer customer) {
        return recommend(new Recommender(3), customer.build());
    }

    List<Recommendation> recommend(Recommender recommender, CustomerContext customer) {
        return recommender.recommend(customer, model, catalog());
    }

    static List<String> ids(List<Recommendation> recommendations) {
        return recommendations.stream().map(r -> r.productId).toList();
    }
}
