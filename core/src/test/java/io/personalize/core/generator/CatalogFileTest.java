package io.personalize.core.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.core.recommend.ProductCatalog;
import io.personalize.core.recommend.ProductInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogFileTest {

    @TempDir Path dir;

    @Test
    void writesEveryGeneratedProductInAFileTheRecommenderLoads() throws IOException {
        ProductCatalog catalog = written();

        assertThat(catalog.size()).isEqualTo(8 * Catalog.PRODUCTS_PER_CATEGORY);
        assertThat(catalog.info("p-apparel.shoes-07"))
                .satisfies(
                        p -> {
                            assertThat(p.name).endsWith("Shoes 07");
                            assertThat(p.category).isEqualTo("apparel.shoes");
                            assertThat(p.price).isPositive();
                            assertThat(p.imageUrl)
                                    .isEqualTo(
                                            "https://shop.example.com/images/p-apparel.shoes-07.jpg");
                            assertThat(p.inStock).isNotNull();
                        });
    }

    @Test
    void aFewProductsAreOutOfStockByAStableRule() throws IOException {
        ProductCatalog catalog = written();

        List<String> outOfStock =
                catalog.products().stream()
                        .filter(p -> Boolean.FALSE.equals(p.inStock))
                        .map(p -> p.productId)
                        .toList();
        assertThat(outOfStock).hasSize(200 / CatalogFile.OUT_OF_STOCK_EVERY);
        assertThat(outOfStock).contains("p-electronics.smartphone-12", "p-apparel.shoes-11");
        assertThat(written()).isEqualTo(catalog);
    }

    @Test
    void everyProductInGeneratedEventsIsInTheCatalogWithTheSameCategoryNameAndPrice()
            throws IOException {
        ProductCatalog catalog = written();
        List<JsonNode> products = new ArrayList<>();
        new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(7))
                .lines(5_000)
                .forEachRemaining(
                        line -> {
                            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
                            if (r.valid()) {
                                collectProducts(r.event(), products);
                            }
                        });

        assertThat(products).hasSizeGreaterThan(500);
        for (JsonNode product : products) {
            ProductInfo info = catalog.info(product.path("product_id").asText());
            assertThat(info).as("catalog entry for %s", product).isNotNull();
            assertThat(info.category).isEqualTo(product.path("category_code").asText());
            assertThat(info.name).isEqualTo(product.path("name").asText());
            assertThat(info.price).isEqualTo(product.path("price").asDouble());
        }
    }

    private ProductCatalog written() throws IOException {
        Path file = dir.resolve("demo/products.csv");
        CatalogFile.write(file);
        assertThat(Files.readAllLines(file).get(0))
                .isEqualTo("product_id,name,category,price,image_url,in_stock");
        return ProductCatalog.load(file);
    }

    /** Every object with a {@code product_id}, wherever it is in the event (product, items). */
    private static void collectProducts(JsonNode node, List<JsonNode> found) {
        if (node.isObject() && node.has("product_id")) {
            found.add(node);
        }
        node.forEach(child -> collectProducts(child, found));
    }
}
