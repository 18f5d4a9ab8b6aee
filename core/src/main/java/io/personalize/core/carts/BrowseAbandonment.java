package io.personalize.core.carts;

import io.personalize.core.recommend.ProductInfo;
import io.personalize.core.recommend.Recommendation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A product viewed again and again but not put in the cart: {@code min-views} views within {@code
 * window}, then {@code quiet-period} without adding or buying it. The pattern finds it; the
 * recommendation stage adds what the catalog says of the product and the products recommended with
 * it, so that the email can show both. A Flink POJO.
 */
public class BrowseAbandonment {
    public String customerKey;
    public String customerId;
    public String productId;
    public String category;

    /** Views of the product within the window up to the last view. */
    public int views;

    public long firstViewAt;
    public long lastViewAt;

    /** Event time of the abandonment: {@code lastViewAt + quiet-period}. */
    public long at;

    /** Wall-clock time the abandonment was detected. */
    public long processedAt;

    /** The catalog's name of the product; null when unknown (or not looked up yet). */
    public String productName;

    /** The catalog's price of the product; null when unknown. */
    public Double price;

    /** The catalog's image of the product; null when unknown. */
    public String imageUrl;

    /** Products recommended with the browsed one (seeded by it); empty until recommended. */
    public List<Recommendation> recommendations = new ArrayList<>();

    public BrowseAbandonment() {}

    /**
     * Takes name, price, image and (when the pattern had none) category from the catalog's row of
     * the product; a null row leaves them as they are.
     */
    public void describeWith(ProductInfo info) {
        if (info == null) {
            return;
        }
        productName = info.name;
        price = info.price;
        imageUrl = info.imageUrl;
        if (category == null) {
            category = info.category;
        }
    }

    /** The browsed product as the catalog describes it (fields null when unknown). */
    public ProductInfo product() {
        return new ProductInfo(productId, productName, category, price, imageUrl, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrowseAbandonment other
                && views == other.views
                && firstViewAt == other.firstViewAt
                && lastViewAt == other.lastViewAt
                && at == other.at
                && processedAt == other.processedAt
                && Objects.equals(customerKey, other.customerKey)
                && Objects.equals(customerId, other.customerId)
                && Objects.equals(productId, other.productId)
                && Objects.equals(category, other.category)
                && Objects.equals(productName, other.productName)
                && Objects.equals(price, other.price)
                && Objects.equals(imageUrl, other.imageUrl)
                && Objects.equals(recommendations, other.recommendations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerKey, productId, at);
    }

    @Override
    public String toString() {
        return "BrowseAbandonment{" + customerKey + " " + productId + " @" + at + "}";
    }
}
