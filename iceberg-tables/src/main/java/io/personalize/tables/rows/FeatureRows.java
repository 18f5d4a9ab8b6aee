package io.personalize.tables.rows;

import static io.personalize.tables.rows.RowValues.string;
import static io.personalize.tables.rows.RowValues.timestamp;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.tables.Tables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

/**
 * Maps a {@link CustomerFeatures} snapshot to a row of the feature tables. The feature columns are
 * looked up in the {@link FeatureRegistry} by name, so a feature and its column cannot disagree.
 */
public final class FeatureRows {
    /** Both feature tables share their columns. */
    public static final RowType ROW_TYPE =
            FlinkSchemaUtil.convert(Tables.CUSTOMER_FEATURES.schema());

    private static final List<FeatureDefinition> COLUMNS =
            featureColumns(Tables.CUSTOMER_FEATURES.schema());

    private FeatureRows() {}

    /** The registry feature of every feature column, in column order; fails on any mismatch. */
    static List<FeatureDefinition> featureColumns(Schema schema) {
        List<Types.NestedField> fields = schema.columns();
        List<FeatureDefinition> columns = new ArrayList<>();
        for (Types.NestedField field :
                fields.subList(
                        Tables.FEATURE_KEY_COLUMNS,
                        fields.size() - Tables.FEATURE_TRAILING_COLUMNS)) {
            columns.add(
                    FeatureRegistry.standard()
                            .get(field.name())
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "column "
                                                            + field.name()
                                                            + " is no registry feature")));
        }
        if (columns.size() != FeatureRegistry.standard().all().size()) {
            throw new IllegalStateException(
                    "every registry feature needs a column in the feature tables");
        }
        return columns;
    }

    public static RowData toRow(CustomerFeatures f) {
        GenericRowData row =
                new GenericRowData(
                        Tables.FEATURE_KEY_COLUMNS
                                + COLUMNS.size()
                                + Tables.FEATURE_TRAILING_COLUMNS);
        row.setField(0, string(f.customerKey));
        row.setField(1, string(f.customerId));
        row.setField(2, string(f.anonymousId));
        row.setField(3, timestamp(f.asOf));
        row.setField(4, timestamp(f.computedAt));
        for (int i = 0; i < COLUMNS.size(); i++) {
            FeatureDefinition feature = COLUMNS.get(i);
            row.setField(Tables.FEATURE_KEY_COLUMNS + i, internal(feature, feature.valueOf(f)));
        }
        int at = Tables.FEATURE_KEY_COLUMNS + COLUMNS.size();
        row.setField(at, f.segments == null ? null : strings(f.segments));
        row.setField(at + 1, declared(f.declaredNumbers, v -> v));
        row.setField(at + 2, declared(f.declaredStrings, StringData::fromString));
        row.setField(at + 3, declared(f.declaredBooleans, v -> v));
        row.setField(at + 4, declared(f.declaredLists, v -> strings(v.items)));
        row.setField(at + 5, declared(f.declaredTimes, RowValues::timestamp));
        return row;
    }

    /** A map of declared features as a map column; null when there is none. */
    private static <V> GenericMapData declared(
            Map<String, V> values, java.util.function.Function<V, Object> internal) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        Map<Object, Object> converted = new HashMap<>();
        values.forEach((name, v) -> converted.put(StringData.fromString(name), internal.apply(v)));
        return new GenericMapData(converted);
    }

    private static GenericArrayData strings(List<?> values) {
        return new GenericArrayData(
                values.stream().map(v -> StringData.fromString(v.toString())).toArray());
    }

    private static Object internal(FeatureDefinition feature, Object value) {
        if (value == null) {
            return null;
        }
        return switch (feature.type()) {
            case LONG -> ((Number) value).longValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case STRING -> StringData.fromString(value.toString());
            case BOOLEAN -> value; // declared features only: not a column of their own
            case TIMESTAMP -> timestamp(((Number) value).longValue());
            case STRING_LIST -> strings((List<?>) value);
            case STRING_DOUBLE_MAP -> {
                Map<Object, Object> converted = new HashMap<>();
                ((Map<?, ?>) value)
                        .forEach((k, v) -> converted.put(StringData.fromString(k.toString()), v));
                yield new GenericMapData(converted);
            }
        };
    }
}
