package io.personalize.job.decisions;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of {@link DecisionInput} wherever Flink meets it (the moments stream, the triggers
 * stream, the decision stage's waiting inputs in state): serialized by {@link
 * DecisionInputSerializer}.
 */
public final class DecisionInputTypeInfo extends TypeInformation<DecisionInput> {
    private static final long serialVersionUID = 1L;

    /** Found by Flink's type extraction through {@code @TypeInfo} on {@link DecisionInput}. */
    public static final class Factory extends TypeInfoFactory<DecisionInput> {
        @Override
        public TypeInformation<DecisionInput> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new DecisionInputTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<DecisionInput> getTypeClass() {
        return DecisionInput.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<DecisionInput> createSerializer(SerializerConfig config) {
        return DecisionInputSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "DecisionInput";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecisionInputTypeInfo;
    }

    @Override
    public int hashCode() {
        return DecisionInputTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof DecisionInputTypeInfo;
    }
}
