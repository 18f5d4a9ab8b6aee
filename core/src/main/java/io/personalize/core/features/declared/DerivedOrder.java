package io.personalize.core.features.declared;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The order derived features are computed in: every derived feature after the derived features it
 * reads. A cycle is reported once, at the feature the search met it from; its members are left out.
 */
final class DerivedOrder {
    private DerivedOrder() {}

    /**
     * @param references each derived feature's variables (other names are ignored)
     * @param cycle called with the feature and the cycle ({@code a -> b -> a})
     */
    static List<String> of(
            Map<String, Set<String>> references, BiConsumer<String, List<String>> cycle) {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> cyclic = new HashSet<>();
        for (String name : references.keySet()) {
            visit(name, references, new ArrayList<>(), done, cyclic, order, cycle);
        }
        return order;
    }

    private static void visit(
            String name,
            Map<String, Set<String>> references,
            List<String> path,
            Set<String> done,
            Set<String> cyclic,
            List<String> order,
            BiConsumer<String, List<String>> cycle) {
        if (done.contains(name)) {
            return;
        }
        int at = path.indexOf(name);
        if (at >= 0) {
            List<String> members = new ArrayList<>(path.subList(at, path.size()));
            if (members.stream().noneMatch(cyclic::contains)) {
                members.add(name);
                cycle.accept(name, members);
            }
            cyclic.addAll(members);
            return;
        }
        path.add(name);
        for (String next : references.get(name)) {
            if (references.containsKey(next)) {
                visit(next, references, path, done, cyclic, order, cycle);
            }
        }
        path.remove(path.size() - 1);
        done.add(name);
        if (!cyclic.contains(name)) {
            order.add(name);
        }
    }
}
