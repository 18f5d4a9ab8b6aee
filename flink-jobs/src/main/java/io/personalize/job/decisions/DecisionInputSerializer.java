package io.personalize.job.decisions;

import io.personalize.core.decisions.Trigger;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.recommend.ProductInfo;
import io.personalize.core.recommend.Recommendation;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

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
    private static final int ERASED = 8;

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
                        | (in.trigger != null ? HAS_TRIGGER : 0)
                        | (in.erased ? ERASED : 0);
        out.writeByte(flags);
        MomentFields.writeString(in.customerKey, out);
        if (in.features != null) {
            writeFeatures(in.features, in.fields, out);
        }
        if (in.scores != null) {
            out.writeInt(in.scores.size());
            for (Map.Entry<String, CustomerScore> e : in.scores.entrySet()) {
                MomentFields.writeString(e.getKey(), out);
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
        d.erased = (flags & ERASED) != 0;
        d.customerKey = MomentFields.readString(in);
        if ((flags & HAS_FEATURES) != 0) {
            long[] fields = new long[1];
            d.features = readFeatures(in, fields);
            d.fields = fields[0];
        }
        if ((flags & HAS_SCORES) != 0) {
            int n = in.readInt();
            Map<String, CustomerScore> scores = new LinkedHashMap<>(Math.max(4, n * 2));
            for (int i = 0; i < n; i++) {
                String model = MomentFields.readString(in);
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

    private static void writeFeatures(CustomerFeatures f, long fields, DataOutputView out)
            throws IOException {
        MomentFields.write(f, fields, out);
        if (f.segmentChanges == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(f.segmentChanges.size());
            for (SegmentChange c : f.segmentChanges) {
                writeSegmentChange(c, out);
            }
        }
    }

    private static CustomerFeatures readFeatures(DataInputView in, long[] fields)
            throws IOException {
        CustomerFeatures f = MomentFields.read(in, fields);
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
        MomentFields.writeString(c.changeId, out);
        MomentFields.writeString(c.customerKey, out);
        MomentFields.writeString(c.customerId, out);
        MomentFields.writeString(c.segmentId, out);
        MomentFields.writeString(c.change, out);
        MomentFields.writeString(c.membership, out);
        MomentFields.writeString(c.reason, out);
        out.writeLong(c.eventTime);
        out.writeLong(c.processedAt);
        out.writeLong(c.ruleVersion);
    }

    private static SegmentChange readSegmentChange(DataInputView in) throws IOException {
        SegmentChange c = new SegmentChange();
        c.changeId = MomentFields.readString(in);
        c.customerKey = MomentFields.readString(in);
        c.customerId = MomentFields.readString(in);
        c.segmentId = MomentFields.readString(in);
        c.change = MomentFields.readString(in);
        c.membership = MomentFields.readString(in);
        c.reason = MomentFields.readString(in);
        c.eventTime = in.readLong();
        c.processedAt = in.readLong();
        c.ruleVersion = in.readLong();
        return c;
    }

    /**
     * A champion score as the decisions read it (model, version, score, label, fallback, the
     * probability of every class): who was scored and when stay with the scores table.
     */
    private static void writeScore(CustomerScore s, DataOutputView out) throws IOException {
        out.writeBoolean(s != null);
        if (s == null) {
            return;
        }
        MomentFields.writeString(s.model, out);
        MomentFields.writeString(s.version, out);
        out.writeDouble(s.score);
        MomentFields.writeString(s.label, out);
        out.writeBoolean(s.fallback);
        if (s.probabilities == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(s.probabilities.size());
            for (Map.Entry<String, Double> p : s.probabilities.entrySet()) {
                MomentFields.writeString(p.getKey(), out);
                out.writeDouble(p.getValue());
            }
        }
    }

    private static CustomerScore readScore(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        CustomerScore s = new CustomerScore();
        s.role = CustomerScore.CHAMPION;
        s.model = MomentFields.readString(in);
        s.version = MomentFields.readString(in);
        s.score = in.readDouble();
        s.label = MomentFields.readString(in);
        s.fallback = in.readBoolean();
        int classes = in.readInt();
        if (classes >= 0) {
            s.probabilities = new LinkedHashMap<>(Math.max(4, classes * 2));
            for (int i = 0; i < classes; i++) {
                s.probabilities.put(MomentFields.readString(in), in.readDouble());
            }
        }
        return s;
    }

    private static void writeTrigger(Trigger t, DataOutputView out) throws IOException {
        MomentFields.writeString(t.customerKey, out);
        MomentFields.writeString(t.customerId, out);
        MomentFields.writeString(t.kind, out);
        MomentFields.writeString(t.name, out);
        MomentFields.writeString(t.triggeringId, out);
        out.writeLong(t.at);
        if (t.recommendations == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(t.recommendations.size());
            for (Recommendation r : t.recommendations) {
                MomentFields.writeString(r.productId, out);
                MomentFields.writeString(r.name, out);
                MomentFields.writeString(r.category, out);
                writeDouble(r.price, out);
                MomentFields.writeString(r.imageUrl, out);
                MomentFields.writeString(r.source, out);
                out.writeDouble(r.score);
            }
        }
        MomentFields.writeStrings(t.productIds, out);
        if (t.products == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(t.products.size());
            for (ProductInfo p : t.products) {
                MomentFields.writeString(p.productId, out);
                MomentFields.writeString(p.name, out);
                MomentFields.writeString(p.category, out);
                writeDouble(p.price, out);
                MomentFields.writeString(p.imageUrl, out);
                out.writeByte(p.inStock == null ? -1 : p.inStock ? 1 : 0);
            }
        }
    }

    private static Trigger readTrigger(DataInputView in) throws IOException {
        Trigger t = new Trigger();
        t.customerKey = MomentFields.readString(in);
        t.customerId = MomentFields.readString(in);
        t.kind = MomentFields.readString(in);
        t.name = MomentFields.readString(in);
        t.triggeringId = MomentFields.readString(in);
        t.at = in.readLong();
        int n = in.readInt();
        if (n < 0) {
            t.recommendations = null;
        } else {
            t.recommendations = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Recommendation r = new Recommendation();
                r.productId = MomentFields.readString(in);
                r.name = MomentFields.readString(in);
                r.category = MomentFields.readString(in);
                r.price = readDouble(in);
                r.imageUrl = MomentFields.readString(in);
                r.source = MomentFields.readString(in);
                r.score = in.readDouble();
                t.recommendations.add(r);
            }
        }
        t.productIds = MomentFields.readStrings(in);
        int products = in.readInt();
        t.products = products < 0 ? null : new ArrayList<>(products);
        for (int i = 0; i < products; i++) {
            ProductInfo p = new ProductInfo();
            p.productId = MomentFields.readString(in);
            p.name = MomentFields.readString(in);
            p.category = MomentFields.readString(in);
            p.price = readDouble(in);
            p.imageUrl = MomentFields.readString(in);
            byte inStock = in.readByte();
            p.inStock = inStock < 0 ? null : inStock == 1;
            t.products.add(p);
        }
        return t;
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
}
