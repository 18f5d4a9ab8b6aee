package io.personalize.job.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.segments.SegmentChange;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class MomentFieldsTest {
    /** Every moment carries these; they are not fields. */
    private static final Set<String> HEADER =
            Set.of("customerKey", "asOf", "computedAt", "segmentChanges", "erased");

    @Test
    void aChangeInAnyFeatureIsCarriedAndLaidOverThePreviousMoment() throws Exception {
        List<Field> features = featureFields();
        assertThat(features).hasSize(MomentFields.count());
        CustomerFeatures previous = filled(1);
        for (Field field : features) {
            CustomerFeatures next = copy(previous);
            next.asOf = previous.asOf + 1;
            field.set(next, field.get(filled(2)));
            long mask = MomentFields.changed(previous, next);
            assertThat(Long.bitCount(mask)).as(field.getName()).isEqualTo(1);
            CustomerFeatures received = MomentFields.merge(previous, roundTrip(next, mask), mask);
            assertThat(received).as(field.getName()).usingRecursiveComparison().isEqualTo(next);
        }
    }

    @Test
    void aMomentThatChangesNothingCarriesNoFieldButItsTimeAndSegmentChanges() throws Exception {
        CustomerFeatures previous = filled(1);
        CustomerFeatures next = copy(previous);
        next.asOf = previous.asOf + 60_000;
        next.computedAt = previous.computedAt + 5;
        SegmentChange change = new SegmentChange();
        change.segmentId = "vip";
        next.segmentChanges = List.of(change);
        long mask = MomentFields.changed(previous, next);
        assertThat(mask).isZero();
        CustomerFeatures received = MomentFields.merge(previous, roundTrip(next, mask), mask);
        assertThat(received.asOf).isEqualTo(next.asOf);
        assertThat(received.computedAt).isEqualTo(next.computedAt);
        assertThat(received.segmentChanges).extracting(c -> c.segmentId).containsExactly("vip");
        assertThat(received.sameFeatures(next)).isTrue();
    }

    @Test
    void theFirstMomentCarriesEverything() throws Exception {
        CustomerFeatures first = filled(3);
        assertThat(MomentFields.changed(null, first)).isEqualTo(MomentFields.ALL);
        assertThat(MomentFields.merge(null, roundTrip(first, MomentFields.ALL), MomentFields.ALL))
                .usingRecursiveComparison()
                .isEqualTo(first);
    }

    @Test
    void textOutsideAsciiAndLongerThanTheScratchBufferComesBackAsWritten() throws Exception {
        CustomerFeatures f = filled(4);
        f.country = "Österreich";
        f.timezone = "Europe/Zürich 😀";
        f.loyaltyTier = "x".repeat(10_000);
        f.recentlyViewedProducts = List.of("", "p-ß-1", "y".repeat(300));
        assertThat(MomentFields.merge(null, roundTrip(f, MomentFields.ALL), MomentFields.ALL))
                .usingRecursiveComparison()
                .isEqualTo(f);
    }

    private static CustomerFeatures roundTrip(CustomerFeatures features, long mask)
            throws Exception {
        DecisionInput in = new DecisionInput();
        in.customerKey = features.customerKey;
        in.features = features;
        in.fields = mask;
        DataOutputSerializer out = new DataOutputSerializer(64);
        DecisionInputSerializer.INSTANCE.serialize(in, out);
        DecisionInput back =
                DecisionInputSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.fields).isEqualTo(mask);
        return back.features;
    }

    private static List<Field> featureFields() {
        List<Field> fields = new ArrayList<>();
        for (Field field : CustomerFeatures.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && !HEADER.contains(field.getName())) {
                fields.add(field);
            }
        }
        return fields;
    }

    private static CustomerFeatures copy(CustomerFeatures from) throws Exception {
        CustomerFeatures to = new CustomerFeatures();
        for (Field field : CustomerFeatures.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.set(to, field.get(from));
            }
        }
        return to;
    }

    /** A map value of the type, differing between seeds. */
    private static Object mapValue(java.lang.reflect.Type type, int n) {
        if (type == String.class) {
            return "v-" + n;
        }
        if (type == Boolean.class) {
            return n % 2 == 0;
        }
        if (type == Long.class) {
            return (long) n;
        }
        if (type == io.personalize.core.features.StringList.class) {
            return new io.personalize.core.features.StringList(List.of("l-" + n));
        }
        return n + 0.25;
    }

    /** Every field set, to values that differ between seeds. */
    private static CustomerFeatures filled(int seed) throws Exception {
        CustomerFeatures f = new CustomerFeatures();
        int n = seed * 100;
        for (Field field : CustomerFeatures.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    || field.getName().equals("segmentChanges")
                    || field.getName().equals("erased")) { // a marker, not a moment's field
                continue;
            }
            n++;
            Class<?> type = field.getType();
            if (type == String.class) {
                field.set(f, field.getName() + "-" + n);
            } else if (type == long.class || type == Long.class) {
                field.set(f, (long) n);
            } else if (type == double.class || type == Double.class) {
                field.set(f, n + 0.5);
            } else if (type == List.class) {
                field.set(f, List.of("a-" + n, "b-" + n));
            } else if (type == Map.class && field.getGenericType() instanceof ParameterizedType p) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("x-" + n, mapValue(p.getActualTypeArguments()[1], n));
                map.put("y-" + n, null);
                field.set(f, map);
            } else {
                throw new AssertionError("no test value for " + field);
            }
        }
        return f;
    }
}
