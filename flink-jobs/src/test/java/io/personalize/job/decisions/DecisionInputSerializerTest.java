package io.personalize.job.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class DecisionInputSerializerTest {
    // an erased customer crosses as DecisionInput.erased, not in the features or scores
    private static final String NOT_CARRIED =
            "scores\\..*\\.(customerKey|customerId|role|imputed|fallbackReason|asOf|scoredAt|erased)"
                    + "|features\\.erased";

    private int counter;

    @Test
    void everyFieldOfAMomentAndATriggerSurvivesTheRoundTrip() throws Exception {
        DecisionInput full = fill(DecisionInput.class);
        full.fields = MomentFields.ALL;
        assertThat(full.features.segmentChanges).hasSize(2);
        assertThat(full.trigger.recommendations).hasSize(2);
        // a score carries what the decisions read of it: model, version, score, label, fallback
        assertThat(roundTrip(full))
                .usingRecursiveComparison()
                .ignoringFieldsMatchingRegexes(NOT_CARRIED)
                .isEqualTo(full);
        assertThat(roundTrip(full).scores.values())
                .extracting(s -> s.model + " " + s.version + " " + s.score + " " + s.label)
                .containsExactlyElementsOf(
                        full.scores.values().stream()
                                .map(s -> s.model + " " + s.version + " " + s.score + " " + s.label)
                                .toList());
        assertThat(DecisionInputSerializer.INSTANCE.copy(full))
                .usingRecursiveComparison()
                .ignoringFieldsMatchingRegexes(NOT_CARRIED)
                .isEqualTo(full);
    }

    @Test
    void nullsStayNull() throws Exception {
        DecisionInput empty = new DecisionInput();
        empty.features = new io.personalize.core.features.CustomerFeatures();
        empty.trigger = new io.personalize.core.decisions.Trigger();
        empty.trigger.recommendations = null;
        empty.trigger.productIds = null;
        empty.trigger.products = null;
        assertThat(roundTrip(empty)).usingRecursiveComparison().isEqualTo(empty);
        assertThat(roundTrip(new DecisionInput()))
                .usingRecursiveComparison()
                .isEqualTo(new DecisionInput());
    }

    @Test
    void flinkUsesTheSerializerForTheTypeAndInsideOtherTypes() {
        assertThat(TypeInformation.of(DecisionInput.class))
                .isInstanceOf(DecisionInputTypeInfo.class);
        assertThat(TypeInformation.of(DecisionCustomer.class).toString()).contains("DecisionInput");
    }

    private static DecisionInput roundTrip(DecisionInput in) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        DecisionInputSerializer.INSTANCE.serialize(in, out);
        return DecisionInputSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    /** An instance with every public field set to a distinct value, collections with two items. */
    private <T> T fill(Class<T> type) throws Exception {
        T value = type.getDeclaredConstructor().newInstance();
        for (Field field : type.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.set(value, valueOf(field.getGenericType(), field.getName()));
            }
        }
        return value;
    }

    private Object valueOf(Type type, String name) throws Exception {
        counter++;
        if (type == String.class) {
            return name + "-" + counter;
        }
        if (type == long.class || type == Long.class) {
            return (long) counter;
        }
        if (type == double.class || type == Double.class) {
            return counter + 0.25;
        }
        if (type == boolean.class || type == Boolean.class) {
            return true;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            List<Object> list = new ArrayList<>();
            list.add(valueOf(p.getActualTypeArguments()[0], name));
            list.add(valueOf(p.getActualTypeArguments()[0], name));
            return list;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < 2; i++) {
                map.put(
                        valueOf(p.getActualTypeArguments()[0], name),
                        valueOf(p.getActualTypeArguments()[1], name));
            }
            return map;
        }
        if (type instanceof Class<?> c && c.getName().startsWith("io.personalize.")) {
            return fill(c);
        }
        throw new AssertionError("no test value for " + type + " (" + name + ")");
    }
}
