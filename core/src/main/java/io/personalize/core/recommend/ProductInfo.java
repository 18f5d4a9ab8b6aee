package io.personalize.core.recommend;

import java.io.Serializable;
import java.util.Objects;

/**
 * What the shop says about one product: a row of the product catalog. Any field but {@code
 * productId} may be null, which means unknown. A Flink POJO.
 */
public class ProductInfo implements Serializable {
    private static final long serialVersionUID = 1L;

    public String productId;
    public String name;
    public String category;

    /** Price in the shop currency (euros in the demo). */
    public Double price;

    public String imageUrl;

    /** False means out of stock; null means the catalog does not say. */
    public Boolean inStock;

    public ProductInfo() {}

    public ProductInfo(
            String productId,
            String name,
            String category,
            Double price,
            String imageUrl,
            Boolean inStock) {
        this.productId = productId;
        this.name = name;
        this.category = category;
        this.price = price;
        this.imageUrl = imageUrl;
        this.inStock = inStock;
    }

    /** A copy, so that a shared catalog row cannot be changed through a returned object. */
    public ProductInfo copy() {
        return new ProductInfo(productId, name, category, price, imageUrl, inStock);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductInfo other
                && Objects.equals(productId, other.productId)
                && Objects.equals(name, other.name)
                && Objects.equals(category, other.category)
                && Objects.equals(price, other.price)
                && Objects.equals(imageUrl, other.imageUrl)
                && Objects.equals(inStock, other.inStock);
    }

    @Override
    public int hashCode() {
        return Objects.hash(productId, name, category, price, imageUrl, inStock);
    }

    @Override
    public String toString() {
        return "ProductInfo{" + productId + ", " + category + ", " + price + ", " + inStock + "}";
    }
}
