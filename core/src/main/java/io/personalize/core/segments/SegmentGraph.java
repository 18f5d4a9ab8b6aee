package io.personalize.core.segments;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The in_segment references between segments: cycles and a dependency-first order. */
final class SegmentGraph {
    private final Map<String, List<String>> edges;

    /** {@code edges}: segment id to the ids it references, in definition order. */
    SegmentGraph(Map<String, List<String>> edges) {
        this.edges = new LinkedHashMap<>(edges);
    }

    /** Each cycle once, as a path that starts and ends with the same id, e.g. [a, b, a]. */
    List<List<String>> cycles() {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : edges.keySet()) {
            walk(start, new ArrayList<>(), done, cycles);
        }
        return cycles;
    }

    private void walk(String id, List<String> path, Set<String> done, List<List<String>> cycles) {
        int seen = path.indexOf(id);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(id);
            cycles.add(cycle);
            return;
        }
        if (done.contains(id) || !edges.containsKey(id)) {
            return;
        }
        path.add(id);
        for (String next : edges.get(id)) {
            walk(next, path, done, cycles);
        }
        path.remove(path.size() - 1);
        done.add(id);
    }

    /** Every id after the ids it references (the graph must have no cycle). */
    List<String> dependencyOrder() {
        List<String> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (String id : edges.keySet()) {
            place(id, placed, order);
        }
        return order;
    }

    private void place(String id, Set<String> placed, List<String> order) {
        if (!edges.containsKey(id) || !placed.add(id)) {
            return;
        }
        for (String next : edges.get(id)) {
            place(next, placed, order);
        }
        order.add(id);
    }
}
