package io.personalize.core.recommend;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One cart product's or recent view's row of the co-occurrence model as of a recommendation's time:
 * its neighbours with their weights, and its category. The answer to a {@link ProductRequest}. A
 * Flink POJO (the neighbours as two arrays of the same length).
 */
public class SeedRow {
    public String requestId;
    public String customerKey;
    public String productId;

    /** The product's category as the model has it; null when unknown. */
    public String category;

    public String[] neighbourIds = new String[0];
    public double[] weights = new double[0];

    public SeedRow() {}

    /** {@code slice} (null when the product is unknown) read as of the request's time. */
    public static SeedRow of(ProductRequest request, ProductSlice slice, ProductSlices slices) {
        SeedRow row = of(request, slice == null ? null : slice.category, Map.of());
        if (slice == null || !slice.started()) {
            return row;
        }
        double factor = slices.factor(slice, request.at);
        row.neighbourIds = new String[slice.neighbours.size()];
        row.weights = new double[slice.neighbours.size()];
        int i = 0;
        for (Map.Entry<String, Double> n : slice.neighbours.entrySet()) {
            row.neighbourIds[i] = n.getKey();
            row.weights[i] = n.getValue() * factor; // as ProductSlices.neighbours reads them
            i++;
        }
        return row;
    }

    public static SeedRow of(
            ProductRequest request, String category, Map<String, Double> neighbours) {
        SeedRow row = new SeedRow();
        row.requestId = request.requestId;
        row.customerKey = request.customerKey;
        row.productId = request.productId;
        row.category = category;
        row.neighbourIds = new String[neighbours.size()];
        row.weights = new double[neighbours.size()];
        int i = 0;
        for (Map.Entry<String, Double> n : neighbours.entrySet()) {
            row.neighbourIds[i] = n.getKey();
            row.weights[i] = n.getValue();
            i++;
        }
        return row;
    }

    /** The same row with {@code neighbours} instead. */
    public SeedRow with(Map<String, Double> neighbours) {
        return of(new ProductRequest(requestId, customerKey, productId, 0), category, neighbours);
    }

    /** The neighbours as a map. */
    public Map<String, Double> neighbours() {
        Map<String, Double> neighbours = new HashMap<>(neighbourIds.length * 2);
        for (int i = 0; i < neighbourIds.length; i++) {
            neighbours.put(neighbourIds[i], weights[i]);
        }
        return neighbours;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeedRow other
                && Objects.equals(requestId, other.requestId)
                && Objects.equals(customerKey, other.customerKey)
                && Objects.equals(productId, other.productId)
                && Objects.equals(category, other.category)
                && Arrays.equals(neighbourIds, other.neighbourIds)
                && Arrays.equals(weights, other.weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, productId);
    }

    @Override
    public String toString() {
        return "SeedRow{" + requestId + " " + productId + ", " + neighbourIds.length + "}";
    }
}
