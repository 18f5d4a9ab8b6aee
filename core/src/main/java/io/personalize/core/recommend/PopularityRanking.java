package io.personalize.core.recommend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The products of one subtask of the partitioned model ranked by popularity, overall and per
 * category: what the subtask answers when asked for its most popular products. Derived from the
 * {@link ProductSlice}s the subtask owns (and rebuilt from them after a restore); every change of a
 * slice goes through {@link #put}.
 *
 * <p>Products rank by popularity, ties by id. The key is the popularity moved to one reference time
 * on a whole half-life, exactly (a power of two from each slice's anchor), so the ranking does not
 * change as time passes and agrees with the popularity read as of any time.
 */
public final class PopularityRanking {

    /** A subtask's top products: those listed, and whether more were left out. */
    public record Top(List<RankedProduct> products, boolean cut) {}

    private record Entry(String id, String category, double stored, long anchor, double key) {}

    /** Most popular first, ties by id. */
    private static final Comparator<Entry> ORDER =
            Comparator.comparingDouble((Entry e) -> -e.key).thenComparing(Entry::id);

    /** Keys are moved to a new reference before they could overflow. */
    private static final long MAX_HALF_LIVES_FROM_REFERENCE = 512;

    private final ProductSlices slices;
    private final Map<String, Entry> entries = new HashMap<>();
    private final TreeSet<Entry> overall = new TreeSet<>(ORDER);
    private final Map<String, TreeSet<Entry>> byCategory = new HashMap<>();
    private long reference;

    public PopularityRanking(ProductSlices slices) {
        this.slices = slices;
    }

    /** Ranks {@code productId} as {@code slice} now has it. */
    public void put(String productId, ProductSlice slice) {
        Entry old = entries.remove(productId);
        if (old != null) {
            remove(old);
        }
        if (slice == null || !slice.started()) {
            return;
        }
        if (entries.isEmpty() && old == null) {
            reference = slice.anchor;
        } else if (Math.abs(slice.anchor - reference) / slices.halfLifeMillis()
                > MAX_HALF_LIVES_FROM_REFERENCE) {
            moveReference(slice.anchor);
        }
        Entry entry = entry(productId, slice.category, slice.popularity, slice.anchor);
        entries.put(productId, entry);
        add(entry);
    }

    /** How many products are ranked. */
    public int size() {
        return entries.size();
    }

    /**
     * The most popular products of {@code category} (all products when null) as of {@code asOf},
     * down to the {@code wanted}-th one {@code recommendable} accepts and every product as popular
     * as that one (so that lists of several subtasks merge exactly, see {@link PartialModel}).
     * Products whose popularity is 0 are never listed.
     */
    public Top top(String category, long asOf, Predicate<String> recommendable, int wanted) {
        TreeSet<Entry> ranked = category == null ? overall : byCategory.get(category);
        List<RankedProduct> listed = new ArrayList<>();
        if (ranked == null) {
            return new Top(listed, false);
        }
        int found = 0;
        double last = Double.NaN;
        for (Entry e : ranked) {
            double popularity = slices.decayed(e.stored, e.anchor, asOf);
            if (!(popularity > 0)) {
                break;
            }
            if (found >= wanted && popularity != last) {
                return new Top(listed, true);
            }
            listed.add(new RankedProduct(e.id, e.category, popularity));
            if (found < wanted && recommendable.test(e.id)) {
                found++;
                last = popularity;
            }
        }
        return new Top(listed, false);
    }

    private Entry entry(String id, String category, double stored, long anchor) {
        return new Entry(id, category, stored, anchor, slices.decayed(stored, anchor, reference));
    }

    private void moveReference(long to) {
        reference = to;
        List<Entry> all = new ArrayList<>(entries.values());
        entries.clear();
        overall.clear();
        byCategory.clear();
        for (Entry e : all) {
            Entry moved = entry(e.id, e.category, e.stored, e.anchor);
            entries.put(e.id, moved);
            add(moved);
        }
    }

    private void add(Entry e) {
        overall.add(e);
        if (e.category != null) {
            byCategory.computeIfAbsent(e.category, c -> new TreeSet<>(ORDER)).add(e);
        }
    }

    private void remove(Entry e) {
        overall.remove(e);
        if (e.category != null) {
            TreeSet<Entry> ranked = byCategory.get(e.category);
            ranked.remove(e);
            if (ranked.isEmpty()) {
                byCategory.remove(e.category);
            }
        }
    }
}
