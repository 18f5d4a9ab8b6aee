package io.personalize.models.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Train / validation / test by customer (70 / 15 / 15), never by row: all snapshots of a customer
 * land in the same part, so no model is tested on a customer it saw. The training customers are
 * further dealt into {@code folds} cross-validation folds. Deterministic for a seed.
 */
public final class Splits {
    public enum Part {
        TRAIN,
        VALIDATION,
        TEST
    }

    private final Map<String, Part> parts = new HashMap<>();
    private final Map<String, Integer> folds = new HashMap<>();
    private final int foldCount;

    /**
     * @param customers the customer keys (any order, duplicates ignored)
     */
    public Splits(Iterable<String> customers, int foldCount, long seed) {
        if (foldCount < 2) {
            throw new IllegalArgumentException("at least 2 folds: " + foldCount);
        }
        this.foldCount = foldCount;
        List<String> shuffled = new ArrayList<>(new TreeSet<String>(toList(customers)));
        Collections.shuffle(shuffled, new Random(seed));
        int n = shuffled.size();
        int trainEnd = (int) Math.round(n * 0.70);
        int validationEnd = (int) Math.round(n * 0.85);
        for (int i = 0; i < n; i++) {
            String key = shuffled.get(i);
            if (i < trainEnd) {
                parts.put(key, Part.TRAIN);
                folds.put(key, i % foldCount);
            } else {
                parts.put(key, i < validationEnd ? Part.VALIDATION : Part.TEST);
            }
        }
    }

    private static List<String> toList(Iterable<String> items) {
        List<String> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }

    public int foldCount() {
        return foldCount;
    }

    public Part part(String customer) {
        Part part = parts.get(customer);
        if (part == null) {
            throw new IllegalArgumentException("customer not in the splits: " + customer);
        }
        return part;
    }

    /** The cross-validation fold of a training customer, else -1. */
    public int fold(String customer) {
        return folds.getOrDefault(customer, -1);
    }

    /** The items whose customer is in {@code part}, in their order. */
    public <T> List<T> select(List<T> items, Function<T, String> customer, Part part) {
        List<T> out = new ArrayList<>();
        for (T item : items) {
            if (part(customer.apply(item)) == part) {
                out.add(item);
            }
        }
        return out;
    }

    /** Training items in fold {@code fold} ({@code inFold}) or in the other folds. */
    public <T> List<T> fold(List<T> items, Function<T, String> customer, int fold, boolean inFold) {
        List<T> out = new ArrayList<>();
        for (T item : items) {
            int f = fold(customer.apply(item));
            if (f >= 0 && (f == fold) == inFold) {
                out.add(item);
            }
        }
        return out;
    }

    /** How many distinct customers the items have. */
    public static <T> int customers(List<T> items, Function<T, String> customer) {
        TreeSet<String> keys = new TreeSet<>();
        for (T item : items) {
            keys.add(customer.apply(item));
        }
        return keys.size();
    }
}
