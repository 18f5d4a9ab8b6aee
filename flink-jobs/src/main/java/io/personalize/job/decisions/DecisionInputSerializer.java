package io.personalize.job.decisions;

import io.personalize.core.decisions.Trigger;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.recommend.Recommendation;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link DecisionInput} field by field, in a fixed order, without reflection or a null
 * marker per field: every moment of every customer crosses from the scoring stage to the decision
 * stage (a two-input operator, so never chained), and Flink's POJO serializer spent a quarter of
 * the customer task on it. Maps come back in the order written; lists as {@link ArrayList}s.
 *
 * <p>{@code DecisionInputSerializerTest} fills every field of every class written here and checks
 * that the copy is equal: a field added to one of them and not here fails that test.
 */
public final class DecisionInputSerializer extends TypeSerializerSingleton<DecisionInput> {
    private static final long serialVersionUID = 1L;
    public static final DecisionInputSerializer INSTANCE = new DecisionInputSerializer();

    private static final int HAS_FEATURES = 1;
    private static final int HAS_SCORES = 2;
    private static final int HAS_TRIGGER = 4;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public DecisionInput createInstance() {
        return new DecisionInput();
    }

    @Override
    public DecisionInput copy(DecisionInput from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(512);
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy a decision input", e);
        }
    }

    @Override
    public DecisionInput copy(DecisionInput from, DecisionInput reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(DecisionInput in, DataOutputView out) throws IOException {
        int flags =
                (in.features != null ? HAS_FEATURES : 0)
                        | (in.scores != null ? HAS_SCORES : 0)
                        | (in.trigger != null ? HAS_TRIGGER : 0);
        out.writeByte(flags);
        StringValue.writeString(in.customerKey, out);
        if (in.features != null) {
            writeFeatures(in.features, out);
        }
        if (in.scores != null) {
            out.writeInt(in.scores.size());
            for (Map.Entry<String, CustomerScore> e : in.scores.entrySet()) {
                StringValue.writeString(e.getKey(), out);
                writeScore(e.getValue(), out);
            }
        }
        if (in.trigger != null) {
            writeTrigger(in.trigger, out);
        }
    }

    @Override
    public DecisionInput deserialize(DataInputView in) throws IOException {
        int flags = in.readByte();
        DecisionInput d = new DecisionInput();
        d.customerKey = StringValue.readString(in);
        if ((flags & HAS_FEATURES) != 0) {
            d.features = readFeatures(in);
        }
        if ((flags & HAS_SCORES) != 0) {
            int n = in.readInt();
            Map<String, CustomerScore> scores = new LinkedHashMap<>(Math.max(4, n * 2));
            for (int i = 0; i < n; i++) {
                String model = StringValue.readString(in);
                scores.put(model, readScore(in));
            }
            d.scores = scores;
        }
        if ((flags & HAS_TRIGGER) != 0) {
            d.trigger = readTrigger(in);
        }
        return d;
    }

    @Override
    public DecisionInput deserialize(DecisionInput reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<DecisionInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Reads back the one version written so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DecisionInput> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    private static void writeFeatures(CustomerFeatures f, DataOutputView out) throws IOException {
        StringValue.writeString(f.customerKey, out);
        StringValue.writeString(f.customerId, out);
        StringValue.writeString(f.anonymousId, out);
        out.writeLong(f.asOf);
        out.writeLong(f.computedAt);
        writeLong(f.lastPurchaseAt, out);
        writeLong(f.firstPurchaseAt, out);
        writeLong(f.daysSinceLastPurchase, out);
        out.writeLong(f.orders7d);
        out.writeLong(f.orders30d);
        out.writeLong(f.orders60d);
        out.writeLong(f.orders90d);
        out.writeLong(f.lifetimeOrders);
        out.writeDouble(f.revenue30d);
        out.writeDouble(f.revenue90d);
        out.writeDouble(f.lifetimeRevenue);
        writeDouble(f.avgOrderValue, out);
        out.writeLong(f.productViews7d);
        out.writeLong(f.sessions7d);
        out.writeLong(f.addToCarts7d);
        writeStrings(f.recentlyViewedProducts, out);
        out.writeLong(f.cartItems);
        out.writeDouble(f.cartValue);
        writeStrings(f.cartProductIds, out);
        out.writeLong(f.emailsDelivered30d);
        out.writeLong(f.emailOpens30d);
        out.writeLong(f.emailClicks30d);
        writeDouble(f.emailOpenRate30d, out);
        writeDouble(f.emailClickRate30d, out);
        writeLong(f.daysSinceLastOpen, out);
        out.writeDouble(f.engagementScore);
        if (f.categoryAffinity == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(f.categoryAffinity.size());
            for (Map.Entry<String, Double> e : f.categoryAffinity.entrySet()) {
                StringValue.writeString(e.getKey(), out);
                writeDouble(e.getValue(), out);
            }
        }
        writeStrings(f.topCategories, out);
        writeLong(f.age, out);
        StringValue.writeString(f.loyaltyTier, out);
        StringValue.writeString(f.country, out);
        StringValue.writeString(f.timezone, out);
        StringValue.writeString(f.emailConsent, out);
        StringValue.writeString(f.lifecycleStage, out);
        writeDouble(f.attributeScore, out);
        StringValue.writeString(f.suppressed, out);
        StringValue.writeString(f.suppressionReason, out);
        writeLong(f.suppressedAt, out);
        out.writeLong(f.softBounces);
        writeStrings(f.segments, out);
        if (f.segmentChanges == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(f.segmentChanges.size());
            for (SegmentChange c : f.segmentChanges) {
                writeSegmentChange(c, out);
            }
        }
    }

    private static CustomerFeatures readFeatures(DataInputView in) throws IOException {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = StringValue.readString(in);
        f.customerId = StringValue.readString(in);
        f.anonymousId = StringValue.readString(in);
        f.asOf = in.readLong();
        f.computedAt = in.readLong();
        f.lastPurchaseAt = readLong(in);
        f.firstPurchaseAt = readLong(in);
        f.daysSinceLastPurchase = readLong(in);
        f.orders7d = in.readLong();
        f.orders30d = in.readLong();
        f.orders60d = in.readLong();
        f.orders90d = in.readLong();
        f.lifetimeOrders = in.readLong();
        f.revenue30d = in.readDouble();
        f.revenue90d = in.readDouble();
        f.lifetimeRevenue = in.readDouble();
        f.avgOrderValue = readDouble(in);
        f.productViews7d = in.readLong();
        f.sessions7d = in.readLong();
        f.addToCarts7d = in.readLong();
        f.recentlyViewedProducts = readStrings(in);
        f.cartItems = in.readLong();
        f.cartValue = in.readDouble();
        f.cartProductIds = readStrings(in);
        f.emailsDelivered30d = in.readLong();
        f.emailOpens30d = in.readLong();
        f.emailClicks30d = in.readLong();
        f.emailOpenRate30d = readDouble(in);
        f.emailClickRate30d = readDouble(in);
        f.daysSinceLastOpen = readLong(in);
        f.engagementScore = in.readDouble();
        int affinities = in.readInt();
        if (affinities >= 0) {
            Map<String, Double> affinity = new LinkedHashMap<>(Math.max(4, affinities * 2));
            for (int i = 0; i < affinities; i++) {
                String category = StringValue.readString(in);
                affinity.put(category, readDouble(in));
            }
            f.categoryAffinity = affinity;
        }
        f.topCategories = readStrings(in);
        f.age = readLong(in);
        f.loyaltyTier = StringValue.readString(in);
        f.country = StringValue.readString(in);
        f.timezone = StringValue.readString(in);
        f.emailConsent = StringValue.readString(in);
        f.lifecycleStage = StringValue.readString(in);
        f.attributeScore = readDouble(in);
        f.suppressed = StringValue.readString(in);
        f.suppressionReason = StringValue.readString(in);
        f.suppressedAt = readLong(in);
        f.softBounces = in.readLong();
        f.segments = readStrings(in);
        int changes = in.readInt();
        if (changes >= 0) {
            f.segmentChanges = new ArrayList<>(changes);
            for (int i = 0; i < changes; i++) {
                f.segmentChanges.add(readSegmentChange(in));
            }
        }
        return f;
    }

    private static void writeSegmentChange(SegmentChange c, DataOutputView out) throws IOException {
        StringValue.writeString(c.changeId, out);
        StringValue.writeString(c.customerKey, out);
        StringValue.writeString(c.customerId, out);
        StringValue.writeString(c.segmentId, out);
        StringValue.writeString(c.change, out);
        StringValue.writeString(c.membership, out);
        StringValue.writeString(c.reason, out);
        out.writeLong(c.eventTime);
        out.writeLong(c.processedAt);
        out.writeLong(c.ruleVersion);
    }

    private static SegmentChange readSegmentChange(DataInputView in) throws IOException {
        SegmentChange c = new SegmentChange();
        c.changeId = StringValue.readString(in);
        c.customerKey = StringValue.readString(in);
        c.customerId = StringValue.readString(in);
        c.segmentId = StringValue.readString(in);
        c.change = StringValue.readString(in);
        c.membership = StringValue.readString(in);
        c.reason = StringValue.readString(in);
        c.eventTime = in.readLong();
        c.processedAt = in.readLong();
        c.ruleVersion = in.readLong();
        return c;
    }

    private static void writeScore(CustomerScore s, DataOutputView out) throws IOException {
        out.writeBoolean(s != null);
        if (s == null) {
            return;
        }
        StringValue.writeString(s.customerKey, out);
        StringValue.writeString(s.customerId, out);
        StringValue.writeString(s.model, out);
        StringValue.writeString(s.version, out);
        StringValue.writeString(s.role, out);
        out.writeDouble(s.score);
        StringValue.writeString(s.label, out);
        writeStrings(s.imputed, out);
        out.writeBoolean(s.fallback);
        StringValue.writeString(s.fallbackReason, out);
        out.writeLong(s.asOf);
        out.writeLong(s.scoredAt);
    }

    private static CustomerScore readScore(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        CustomerScore s = new CustomerScore();
        s.customerKey = StringValue.readString(in);
        s.customerId = StringValue.readString(in);
        s.model = StringValue.readString(in);
        s.version = StringValue.readString(in);
        s.role = StringValue.readString(in);
        s.score = in.readDouble();
        s.label = StringValue.readString(in);
        s.imputed = readStrings(in);
        s.fallback = in.readBoolean();
        s.fallbackReason = StringValue.readString(in);
        s.asOf = in.readLong();
        s.scoredAt = in.readLong();
        return s;
    }

    private static void writeTrigger(Trigger t, DataOutputView out) throws IOException {
        StringValue.writeString(t.customerKey, out);
        StringValue.writeString(t.customerId, out);
        StringValue.writeString(t.kind, out);
        StringValue.writeString(t.name, out);
        StringValue.writeString(t.triggeringId, out);
        out.writeLong(t.at);
        if (t.recommendations == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(t.recommendations.size());
            for (Recommendation r : t.recommendations) {
                StringValue.writeString(r.productId, out);
                StringValue.writeString(r.name, out);
                StringValue.writeString(r.category, out);
                writeDouble(r.price, out);
                StringValue.writeString(r.imageUrl, out);
                StringValue.writeString(r.source, out);
                out.writeDouble(r.score);
            }
        }
        writeStrings(t.productIds, out);
    }

    private static Trigger readTrigger(DataInputView in) throws IOException {
        Trigger t = new Trigger();
        t.customerKey = StringValue.readString(in);
        t.customerId = StringValue.readString(in);
        t.kind = StringValue.readString(in);
        t.name = StringValue.readString(in);
        t.triggeringId = StringValue.readString(in);
        t.at = in.readLong();
        int n = in.readInt();
        if (n < 0) {
            t.recommendations = null;
        } else {
            t.recommendations = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Recommendation r = new Recommendation();
                r.productId = StringValue.readString(in);
                r.name = StringValue.readString(in);
                r.category = StringValue.readString(in);
                r.price = readDouble(in);
                r.imageUrl = StringValue.readString(in);
                r.source = StringValue.readString(in);
                r.score = in.readDouble();
                t.recommendations.add(r);
            }
        }
        t.productIds = readStrings(in);
        return t;
    }

    private static void writeLong(Long value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static Long readLong(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    private static void writeDouble(Double value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private static Double readDouble(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    private static void writeStrings(List<String> values, DataOutputView out) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.size());
        for (String value : values) {
            StringValue.writeString(value, out);
        }
    }

    private static List<String> readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(StringValue.readString(in));
        }
        return values;
    }
}
