package io.personalize.core.recommend;

import java.util.HashMap;
import java.util.Map;

/**
 * One product inside a {@link CoOccurrenceModel}. Its popularity and neighbour weights are stored
 * scaled by the model's {@link DecayClock}, not as current values.
 */
final class ModelNode {
    final String id;
    String category;
    double popularity;
    final Map<String, Double> neighbours = new HashMap<>();

    ModelNode(String id) {
        this.id = id;
    }
}
