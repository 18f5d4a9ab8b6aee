package io.personalize.core.recommend;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The products of a {@link CoOccurrenceModel} kept sorted by popularity, overall and per category,
 * so that popular and trending lists and the choice of what to evict cost no full scan.
 *
 * <p>The sets order by a node's mutable fields, so every change to them goes through {@link
 * #update}, which takes the node out while it changes.
 */
final class PopularityIndex {

    /** Most popular first, ties by id: the last node is the least popular. */
    private static final Comparator<ModelNode> BY_POPULARITY =
            Comparator.comparingDouble((ModelNode n) -> -n.popularity).thenComparing(n -> n.id);

    private final TreeSet<ModelNode> overall = new TreeSet<>(BY_POPULARITY);
    private final Map<String, TreeSet<ModelNode>> byCategory = new HashMap<>();

    void add(ModelNode node) {
        overall.add(node);
        if (node.category != null) {
            byCategory.computeIfAbsent(node.category, c -> new TreeSet<>(BY_POPULARITY)).add(node);
        }
    }

    void remove(ModelNode node) {
        overall.remove(node);
        if (node.category != null) {
            TreeSet<ModelNode> ranked = byCategory.get(node.category);
            ranked.remove(node);
            if (ranked.isEmpty()) {
                byCategory.remove(node.category);
            }
        }
    }

    /** Sets a node's popularity, and its category when one is given. */
    void update(ModelNode node, double popularity, String category) {
        remove(node);
        node.popularity = popularity;
        if (category != null) {
            node.category = category;
        }
        add(node);
    }

    /** The least popular node (the greatest id among equals); the index must not be empty. */
    ModelNode leastPopular() {
        return overall.last();
    }

    /** Sorts all nodes again, after their stored values were changed outside {@link #update}. */
    void rebuild(Collection<ModelNode> nodes) {
        overall.clear();
        byCategory.clear();
        nodes.forEach(this::add);
    }

    List<String> top(int limit) {
        return top(overall, limit);
    }

    List<String> top(String category, int limit) {
        TreeSet<ModelNode> ranked = category == null ? null : byCategory.get(category);
        return ranked == null ? List.of() : top(ranked, limit);
    }

    /** Products that were only ever companions have popularity 0 and are never listed. */
    private static List<String> top(TreeSet<ModelNode> ranked, int limit) {
        List<String> ids = new ArrayList<>();
        for (ModelNode node : ranked) {
            if (ids.size() >= limit || node.popularity <= 0) {
                break;
            }
            ids.add(node.id);
        }
        return ids;
    }
}
