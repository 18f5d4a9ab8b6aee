package io.personalize.job.decisions;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.StringList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The fields of {@link CustomerFeatures} a moment can carry to the decision stage, each at a fixed
 * position: a moment carries only the fields that changed since the customer's previous moment (a
 * bit per position in {@link DecisionInput#fields}), and the decision stage lays them over the
 * features it holds ({@link #merge}). Identity ({@code customerKey}), time ({@code asOf}, {@code
 * computedAt}) and the moment's segment changes are not fields: every moment carries them.
 *
 * <p>A field added to {@link CustomerFeatures} and not here never reaches the decisions; {@code
 * MomentFieldsTest} fails for it.
 */
public final class MomentFields {
    private MomentFields() {}

    private interface Field {
        boolean same(CustomerFeatures a, CustomerFeatures b);

        void write(CustomerFeatures from, DataOutputView out) throws IOException;

        void read(DataInputView in, CustomerFeatures into) throws IOException;

        void copy(CustomerFeatures from, CustomerFeatures to);
    }

    private static final Field[] FIELDS = {
        string(f -> f.customerId, (f, v) -> f.customerId = v),
        string(f -> f.anonymousId, (f, v) -> f.anonymousId = v),
        boxedLong(f -> f.lastPurchaseAt, (f, v) -> f.lastPurchaseAt = v),
        boxedLong(f -> f.firstPurchaseAt, (f, v) -> f.firstPurchaseAt = v),
        boxedLong(f -> f.daysSinceLastPurchase, (f, v) -> f.daysSinceLastPurchase = v),
        primitiveLong(f -> f.orders7d, (f, v) -> f.orders7d = v),
        primitiveLong(f -> f.orders30d, (f, v) -> f.orders30d = v),
        primitiveLong(f -> f.orders60d, (f, v) -> f.orders60d = v),
        primitiveLong(f -> f.orders90d, (f, v) -> f.orders90d = v),
        primitiveLong(f -> f.lifetimeOrders, (f, v) -> f.lifetimeOrders = v),
        primitiveDouble(f -> f.revenue30d, (f, v) -> f.revenue30d = v),
        primitiveDouble(f -> f.revenue90d, (f, v) -> f.revenue90d = v),
        primitiveDouble(f -> f.lifetimeRevenue, (f, v) -> f.lifetimeRevenue = v),
        boxedDouble(f -> f.avgOrderValue, (f, v) -> f.avgOrderValue = v),
        primitiveLong(f -> f.productViews7d, (f, v) -> f.productViews7d = v),
        primitiveLong(f -> f.sessions7d, (f, v) -> f.sessions7d = v),
        primitiveLong(f -> f.addToCarts7d, (f, v) -> f.addToCarts7d = v),
        strings(f -> f.recentlyViewedProducts, (f, v) -> f.recentlyViewedProducts = v),
        primitiveLong(f -> f.cartItems, (f, v) -> f.cartItems = v),
        primitiveDouble(f -> f.cartValue, (f, v) -> f.cartValue = v),
        strings(f -> f.cartProductIds, (f, v) -> f.cartProductIds = v),
        primitiveLong(f -> f.emailsDelivered30d, (f, v) -> f.emailsDelivered30d = v),
        primitiveLong(f -> f.emailOpens30d, (f, v) -> f.emailOpens30d = v),
        primitiveLong(f -> f.emailClicks30d, (f, v) -> f.emailClicks30d = v),
        boxedDouble(f -> f.emailOpenRate30d, (f, v) -> f.emailOpenRate30d = v),
        boxedDouble(f -> f.emailClickRate30d, (f, v) -> f.emailClickRate30d = v),
        boxedLong(f -> f.daysSinceLastOpen, (f, v) -> f.daysSinceLastOpen = v),
        primitiveDouble(f -> f.engagementScore, (f, v) -> f.engagementScore = v),
        map(
                f -> f.categoryAffinity,
                (f, v) -> f.categoryAffinity = v,
                (v, out) -> out.writeDouble(v),
                DataInputView::readDouble),
        strings(f -> f.topCategories, (f, v) -> f.topCategories = v),
        boxedLong(f -> f.age, (f, v) -> f.age = v),
        string(f -> f.loyaltyTier, (f, v) -> f.loyaltyTier = v),
        string(f -> f.country, (f, v) -> f.country = v),
        string(f -> f.timezone, (f, v) -> f.timezone = v),
        string(f -> f.emailConsent, (f, v) -> f.emailConsent = v),
        string(f -> f.lifecycleStage, (f, v) -> f.lifecycleStage = v),
        boxedDouble(f -> f.attributeScore, (f, v) -> f.attributeScore = v),
        string(f -> f.suppressed, (f, v) -> f.suppressed = v),
        string(f -> f.suppressionReason, (f, v) -> f.suppressionReason = v),
        boxedLong(f -> f.suppressedAt, (f, v) -> f.suppressedAt = v),
        primitiveLong(f -> f.softBounces, (f, v) -> f.softBounces = v),
        strings(f -> f.segments, (f, v) -> f.segments = v),
        // declared features: null (one bit, never written) without a declared-features file
        map(
                f -> f.declaredNumbers,
                (f, v) -> f.declaredNumbers = v,
                (v, out) -> out.writeDouble(v),
                DataInputView::readDouble),
        map(
                f -> f.declaredStrings,
                (f, v) -> f.declaredStrings = v,
                MomentFields::writeString,
                MomentFields::readString),
        map(
                f -> f.declaredBooleans,
                (f, v) -> f.declaredBooleans = v,
                (v, out) -> out.writeBoolean(v),
                DataInputView::readBoolean),
        map(
                f -> f.declaredLists,
                (f, v) -> f.declaredLists = v,
                (v, out) -> writeStrings(v.items, out),
                in -> new StringList(readStrings(in))),
        map(
                f -> f.declaredTimes,
                (f, v) -> f.declaredTimes = v,
                (v, out) -> out.writeLong(v),
                DataInputView::readLong),
        strings(f -> f.staleFeatures, (f, v) -> f.staleFeatures = v),
    };

    private interface ValueWriter<V> {
        void write(V value, DataOutputView out) throws IOException;
    }

    private interface ValueReader<V> {
        V read(DataInputView in) throws IOException;
    }

    /** A map by name; a null value is written as absent. */
    private static <V> Field map(
            Function<CustomerFeatures, Map<String, V>> get,
            BiConsumer<CustomerFeatures, Map<String, V>> set,
            ValueWriter<V> writer,
            ValueReader<V> reader) {
        return new Reference<>(get, set) {
            public void write(CustomerFeatures from, DataOutputView out) throws IOException {
                Map<String, V> map = get.apply(from);
                if (map == null) {
                    out.writeInt(-1);
                    return;
                }
                out.writeInt(map.size());
                for (Map.Entry<String, V> e : map.entrySet()) {
                    writeString(e.getKey(), out);
                    out.writeBoolean(e.getValue() != null);
                    if (e.getValue() != null) {
                        writer.write(e.getValue(), out);
                    }
                }
            }

            public void read(DataInputView in, CustomerFeatures into) throws IOException {
                int n = in.readInt();
                if (n < 0) {
                    set.accept(into, null);
                    return;
                }
                Map<String, V> map = new LinkedHashMap<>(Math.max(4, n * 2));
                for (int i = 0; i < n; i++) {
                    String key = readString(in);
                    map.put(key, in.readBoolean() ? reader.read(in) : null);
                }
                set.accept(into, map);
            }
        };
    }

    /** Every field: what the first moment of a customer (or one held in state) carries. */
    public static final long ALL = (1L << FIELDS.length) - 1;

    static int count() {
        return FIELDS.length;
    }

    /** The fields of {@code next} that differ from {@code previous}; {@link #ALL} without one. */
    public static long changed(CustomerFeatures previous, CustomerFeatures next) {
        if (previous == null) {
            return ALL;
        }
        long mask = 0;
        for (int i = 0; i < FIELDS.length; i++) {
            if (!FIELDS[i].same(previous, next)) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    /** Writes the header and the fields in {@code mask} of {@code features}. */
    static void write(CustomerFeatures features, long mask, DataOutputView out) throws IOException {
        writeString(features.customerKey, out);
        out.writeLong(features.asOf);
        out.writeLong(features.computedAt);
        out.writeLong(mask);
        for (int i = 0; i < FIELDS.length; i++) {
            if ((mask & (1L << i)) != 0) {
                FIELDS[i].write(features, out);
            }
        }
    }

    /** Reads what {@link #write} wrote: a partial features object and its mask. */
    static CustomerFeatures read(DataInputView in, long[] mask) throws IOException {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = readString(in);
        f.asOf = in.readLong();
        f.computedAt = in.readLong();
        long fields = in.readLong();
        for (int i = 0; i < FIELDS.length; i++) {
            if ((fields & (1L << i)) != 0) {
                FIELDS[i].read(in, f);
            }
        }
        mask[0] = fields;
        return f;
    }

    /**
     * The full features of a moment: {@code latest} (the customer's previous moment; null for none)
     * with the fields in {@code mask} taken from {@code partial}, and the header and the segment
     * changes of {@code partial}. Neither argument is changed.
     */
    public static CustomerFeatures merge(
            CustomerFeatures latest, CustomerFeatures partial, long mask) {
        if (latest == null || mask == ALL) {
            return partial;
        }
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = partial.customerKey;
        f.asOf = partial.asOf;
        f.computedAt = partial.computedAt;
        f.segmentChanges = partial.segmentChanges;
        for (int i = 0; i < FIELDS.length; i++) {
            FIELDS[i].copy((mask & (1L << i)) != 0 ? partial : latest, f);
        }
        return f;
    }

    private static Field primitiveLong(
            java.util.function.ToLongFunction<CustomerFeatures> get,
            java.util.function.ObjLongConsumer<CustomerFeatures> set) {
        return new Field() {
            public boolean same(CustomerFeatures a, CustomerFeatures b) {
                return get.applyAsLong(a) == get.applyAsLong(b);
            }

            public void write(CustomerFeatures from, DataOutputView out) throws IOException {
                out.writeLong(get.applyAsLong(from));
            }

            public void read(DataInputView in, CustomerFeatures into) throws IOException {
                set.accept(into, in.readLong());
            }

            public void copy(CustomerFeatures from, CustomerFeatures to) {
                set.accept(to, get.applyAsLong(from));
            }
        };
    }

    private static Field primitiveDouble(
            java.util.function.ToDoubleFunction<CustomerFeatures> get,
            java.util.function.ObjDoubleConsumer<CustomerFeatures> set) {
        return new Field() {
            public boolean same(CustomerFeatures a, CustomerFeatures b) {
                // bit for bit: NaN is the same as NaN, 0.0 differs from -0.0
                return Double.doubleToRawLongBits(get.applyAsDouble(a))
                        == Double.doubleToRawLongBits(get.applyAsDouble(b));
            }

            public void write(CustomerFeatures from, DataOutputView out) throws IOException {
                out.writeDouble(get.applyAsDouble(from));
            }

            public void read(DataInputView in, CustomerFeatures into) throws IOException {
                set.accept(into, in.readDouble());
            }

            public void copy(CustomerFeatures from, CustomerFeatures to) {
                set.accept(to, get.applyAsDouble(from));
            }
        };
    }

    private static Field boxedLong(
            Function<CustomerFeatures, Long> get, BiConsumer<CustomerFeatures, Long> set) {
        return new Reference<>(get, set) {
            public void write(CustomerFeatures from, DataOutputView out) throws IOException {
                Long value = get.apply(from);
                out.writeBoolean(value != null);
                if (value != null) {
                    out.writeLong(value);
                }
            }

            public void read(DataInputView in, CustomerFeatures into) throws IOException {
                set.accept(into, in.readBoolean() ? in.readLong() : null);
            }
        };
    }

    private static Field boxedDouble(
            Function<CustomerFeatures, Double> get, BiConsumer<CustomerFeatures, Double> set) {
        return new Reference<>(get, set) {
            public void write(CustomerFeatures from, DataOutputView out) throws IOException {
                Double value = get.apply(from);
                out.writeBoolean(value != null);
                if (value != null) {
                    out.writeDouble(value);
                }
            }

            public void read(DataInputView in, CustomerFeatures into) throws IOException {
                set.accept(into, in.readBoolean() ? in.readDouble() : null);
            }
        };
    }

    private static Field string(
            Function<CustomerFeatures, String> get, BiConsumer<CustomerFeatures, String> set) {
        return new Reference<>(get, set) {
            public void write(CustomerFeatures from, DataOutputView out) throws IOException {
                writeString(get.apply(from), out);
            }

            public void read(DataInputView in, CustomerFeatures into) throws IOException {
                set.accept(into, readString(in));
            }
        };
    }

    private static Field strings(
            Function<CustomerFeatures, List<String>> get,
            BiConsumer<CustomerFeatures, List<String>> set) {
        return new Reference<>(get, set) {
            public void write(CustomerFeatures from, DataOutputView out) throws IOException {
                writeStrings(get.apply(from), out);
            }

            public void read(DataInputView in, CustomerFeatures into) throws IOException {
                set.accept(into, readStrings(in));
            }
        };
    }

    /** A field holding an object: the same when equal; copied by reference (never changed). */
    private abstract static class Reference<T> implements Field {
        final Function<CustomerFeatures, T> get;
        final BiConsumer<CustomerFeatures, T> set;

        Reference(Function<CustomerFeatures, T> get, BiConsumer<CustomerFeatures, T> set) {
            this.get = get;
            this.set = set;
        }

        public boolean same(CustomerFeatures a, CustomerFeatures b) {
            return Objects.equals(get.apply(a), get.apply(b));
        }

        public void copy(CustomerFeatures from, CustomerFeatures to) {
            set.accept(to, get.apply(from));
        }
    }

    /** Per thread: the serializer is one instance for every task thread. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[256]);

    /**
     * A string in one write: its chars as bytes when all are ASCII (the usual ids and names), else
     * its UTF-8 bytes ({@code -2 - length}); -1 for null. Flink's char-by-char encoding costs a
     * call per byte on the network's output stream.
     */
    static void writeString(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        int n = value.length();
        byte[] scratch = SCRATCH.get();
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
            SCRATCH.set(scratch);
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                out.writeInt(-2 - utf8.length);
                out.write(utf8);
                return;
            }
            scratch[i] = (byte) c;
        }
        out.writeInt(n);
        out.write(scratch, 0, n);
    }

    static String readString(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        boolean ascii = n >= 0;
        int length = ascii ? n : -2 - n;
        byte[] scratch = SCRATCH.get();
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
            SCRATCH.set(scratch);
        }
        in.readFully(scratch, 0, length);
        return new String(
                scratch, 0, length, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    static void writeStrings(List<String> values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.size());
        for (String value : values) {
            writeString(value, out);
        }
    }

    static List<String> readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(readString(in));
        }
        return values;
    }
}
