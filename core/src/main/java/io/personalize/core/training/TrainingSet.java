package io.personalize.core.training;

import io.personalize.core.events.Event;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.features.FeatureType;
import io.personalize.core.features.declared.DeclaredFeatures;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A point-in-time training set over a history: one row per customer and snapshot time {@code t},
 * with every feature of the registry as the job computes it from the customer's events up to {@code
 * t} ({@link PointInTime}), and labels from what happened after {@code t}. Written through a {@link
 * Writer} (CSV, Parquet), one customer at a time.
 *
 * <pre>{@code
 * TrainingSet set = new TrainingSet(FeatureConfig.defaults(), DeclaredFeatures.none());
 * List<Long> times = TrainingSet.times(first, last, Duration.ofDays(7));
 * long rows = set.write(byCustomer, times, writer);
 * }</pre>
 */
public final class TrainingSet {
    /** A column: its name and type; labels and keys have the same few types as features. */
    public record Column(String name, FeatureType type, boolean label, String description) {}

    /** Where rows go: values in {@link #columns()} order (null for a missing feature). */
    public interface Writer {
        void write(List<Object> values) throws IOException;
    }

    private static final List<Column> LABELS =
            List.of(
                    new Column(
                            "orders_next_30d",
                            FeatureType.LONG,
                            true,
                            "distinct new orders in (as_of, as_of + 30 d]"),
                    new Column(
                            "orders_next_60d",
                            FeatureType.LONG,
                            true,
                            "distinct new orders in (as_of, as_of + 60 d]"),
                    new Column(
                            "net_revenue_next_90d",
                            FeatureType.DOUBLE,
                            true,
                            "change of lifetime_revenue from as_of to as_of + 90 d (orders less"
                                    + " cancellations and refunds booked then)"),
                    new Column(
                            "purchased_next_30d",
                            FeatureType.LONG,
                            true,
                            "1 when orders_next_30d > 0, else 0 (the propensity label)"),
                    new Column(
                            "churned_next_60d",
                            FeatureType.LONG,
                            true,
                            "1 for a past buyer (lifetime_orders > 0) with no order in the next 60"
                                    + " d, 0 for another past buyer, empty for who never bought"));

    private final List<FeatureDefinition> features;
    private final FeatureConfig config;
    private final DeclaredFeatures declared;
    private final List<Column> columns;

    /** The built-in features and a deployment's declared ones. */
    public TrainingSet(FeatureConfig config, DeclaredFeatures declared) {
        this.features = declared.registry().all();
        this.config = config;
        this.declared = declared;
        List<Column> all = new ArrayList<>();
        all.add(new Column("customer_key", FeatureType.STRING, false, "c:<customer_id>"));
        all.add(new Column("as_of", FeatureType.TIMESTAMP, false, "the snapshot time t"));
        for (FeatureDefinition d : features) {
            all.add(new Column(d.name(), d.type(), false, d.description()));
        }
        all.addAll(LABELS);
        this.columns = List.copyOf(all);
    }

    public List<Column> columns() {
        return columns;
    }

    /**
     * Snapshot times from {@code first} every {@code every} whose labels lie within the history
     * (each {@code t + 90 d <= last}, {@link PointInTime#VALUE_HORIZON}).
     */
    public static List<Long> times(long first, long last, Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the interval must be positive: " + every);
        }
        List<Long> times = new ArrayList<>();
        long horizon = PointInTime.VALUE_HORIZON.toMillis();
        for (long t = first; t + horizon <= last; t += every.toMillis()) {
            times.add(t);
        }
        return times;
    }

    /**
     * Writes the rows of every customer (events in event-time order), customers in the map's order,
     * each customer's rows in time order; a customer without an event at or before {@code t} has no
     * row at {@code t}.
     *
     * @return the rows written
     */
    public long write(Map<String, List<Event>> byCustomer, List<Long> times, Writer writer)
            throws IOException {
        FeatureEngine engine = new FeatureEngine(config, declared);
        List<Long> sorted = times.stream().sorted().distinct().toList();
        long rows = 0;
        for (Map.Entry<String, List<Event>> customer : byCustomer.entrySet()) {
            for (PointInTime.Snapshot s :
                    PointInTime.snapshots(engine, customer.getKey(), customer.getValue(), sorted)) {
                writer.write(row(s));
                rows++;
            }
        }
        return rows;
    }

    private List<Object> row(PointInTime.Snapshot s) {
        List<Object> values = new ArrayList<>(columns.size());
        values.add(s.customerKey());
        values.add(s.asOf());
        for (FeatureDefinition d : features) {
            values.add(d.valueOf(s.features()));
        }
        PointInTime.Outcome o = s.outcome();
        values.add((long) o.orders30d());
        values.add((long) o.orders60d());
        values.add(o.netRevenue90d());
        values.add(o.orders30d() > 0 ? 1L : 0L);
        boolean pastBuyer = s.features().lifetimeOrders > 0;
        values.add(!pastBuyer ? null : o.orders60d() == 0 ? 1L : 0L);
        return values;
    }
}
