package io.personalize.core.recommend;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shop's products by id, as read from a catalog CSV file: what the recommender shows (name,
 * price, image) and what it must not recommend (out of stock). Immutable; serializable so that a
 * Flink function can carry it.
 *
 * <p>The file has a header row naming at least {@code product_id}; the other known columns are
 * {@code name, category, price, image_url, in_stock}, in any order. Empty cells mean unknown.
 *
 * <pre>{@code
 * ProductCatalog catalog = ProductCatalog.load(Path.of("products.csv"));
 * boolean skip = catalog.outOfStock("p-apparel.shoes-07");
 * }</pre>
 */
public final class ProductCatalog implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final ProductCatalog EMPTY = new ProductCatalog(new TreeMap<>());

    /** Sorted by id so that {@link #products()} has a stable order. */
    private final TreeMap<String, ProductInfo> byId;

    private ProductCatalog(TreeMap<String, ProductInfo> byId) {
        this.byId = byId;
    }

    /** A catalog that knows no product: everything is recommendable, nothing has a name. */
    public static ProductCatalog empty() {
        return EMPTY;
    }

    /**
     * Reads a catalog CSV file (UTF-8, optional byte-order mark).
     *
     * @throws CatalogException naming the file, line and problem when the file cannot be read, has
     *     no {@code product_id} column, a row without product id, a bad price or in_stock value, or
     *     a product id twice
     */
    public static ProductCatalog load(Path file) {
        return wrap(CatalogReader.read(file));
    }

    /**
     * A catalog of the given products; a later product with the same id replaces an earlier one.
     */
    public static ProductCatalog of(Collection<ProductInfo> products) {
        TreeMap<String, ProductInfo> byId = new TreeMap<>();
        for (ProductInfo p : products) {
            if (p.productId == null) {
                throw new IllegalArgumentException("product without id: " + p);
            }
            byId.put(p.productId, p.copy());
        }
        return new ProductCatalog(byId);
    }

    /** A copy of what the catalog knows about a product, or null when it does not know it. */
    public ProductInfo info(String productId) {
        ProductInfo info = productId == null ? null : byId.get(productId);
        return info == null ? null : info.copy();
    }

    /** The product's category, or null when the product or its category is unknown. */
    public String category(String productId) {
        ProductInfo info = productId == null ? null : byId.get(productId);
        return info == null ? null : info.category;
    }

    /** True only when the product is known and marked as not in stock; unknown stock is false. */
    public boolean outOfStock(String productId) {
        ProductInfo info = productId == null ? null : byId.get(productId);
        return info != null && Boolean.FALSE.equals(info.inStock);
    }

    public int size() {
        return byId.size();
    }

    /** Copies of all products, by product id. */
    public Collection<ProductInfo> products() {
        List<ProductInfo> all = new ArrayList<>(byId.size());
        for (ProductInfo p : byId.values()) {
            all.add(p.copy());
        }
        return Collections.unmodifiableList(all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductCatalog other && byId.equals(other.byId);
    }

    @Override
    public int hashCode() {
        return byId.hashCode();
    }

    @Override
    public String toString() {
        return "ProductCatalog{" + byId.size() + " products}";
    }

    private static ProductCatalog wrap(Map<String, ProductInfo> byId) {
        return new ProductCatalog(new TreeMap<>(byId));
    }
}
