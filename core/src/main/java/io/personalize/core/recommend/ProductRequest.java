package io.personalize.core.recommend;

import java.util.Objects;

/**
 * A question to the owner of one product's {@link ProductSlice}, for one recommendation: its
 * neighbours and category as of {@link #at} (the event time of the cart lifecycle change being
 * recommended for). A Flink POJO.
 */
public class ProductRequest {
    /** The recommendation asking: one per lifecycle change. */
    public String requestId;

    /** Where the answer goes (the recommendations are merged per customer). */
    public String customerKey;

    public String productId;
    public long at;

    public ProductRequest() {}

    public ProductRequest(String requestId, String customerKey, String productId, long at) {
        this.requestId = requestId;
        this.customerKey = customerKey;
        this.productId = productId;
        this.at = at;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductRequest other
                && at == other.at
                && Objects.equals(requestId, other.requestId)
                && Objects.equals(customerKey, other.customerKey)
                && Objects.equals(productId, other.productId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, productId);
    }

    @Override
    public String toString() {
        return "ProductRequest{" + requestId + " " + productId + " @" + at + "}";
    }
}
