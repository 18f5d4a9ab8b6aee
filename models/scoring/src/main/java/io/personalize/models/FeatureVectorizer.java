package io.personalize.models;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.models.ModelCard.Column;
import io.personalize.models.ModelCard.ElementType;
import io.personalize.models.ModelCard.Input;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns feature values into a model's input row, column by column in the card's order. A missing
 * value takes the card's default (by column, else by feature; NaN: "missing" to the model), else
 * the registry's; every column that took a default is named in {@link Row#imputed()}.
 *
 * <p>A row keeps its values by element type, each type's columns in card order across inputs:
 * {@link Row#values()} the float columns (all of them for a legacy card), then doubles, longs,
 * booleans, strings. {@link #tensors()} says which slice of which array each model input reads.
 * Features are looked up in the {@link FeatureRegistry} given, so any feature it holds can feed a
 * model.
 */
public final class FeatureVectorizer {
    private final ColumnPlan[] columns;
    private final List<Tensor> tensors;
    private final int[] counts = new int[ElementType.values().length];

    /**
     * One row: the values by element type (arrays of the types the model does not read are empty)
     * and the columns that were missing in it.
     */
    public record Row(
            float[] values,
            double[] doubles,
            long[] longs,
            boolean[] bools,
            String[] strings,
            List<String> imputed) {
        private static final double[] NO_DOUBLES = {};
        private static final long[] NO_LONGS = {};
        private static final boolean[] NO_BOOLS = {};
        private static final String[] NO_STRINGS = {};

        /** A row of float columns only (a legacy card). */
        public Row(float[] values, List<String> imputed) {
            this(values, NO_DOUBLES, NO_LONGS, NO_BOOLS, NO_STRINGS, imputed);
        }

        /** Whether two rows hold the same values (NaN equal to NaN), the imputed names aside. */
        public boolean sameValues(Row other) {
            return Arrays.equals(values, other.values)
                    && Arrays.equals(doubles, other.doubles)
                    && Arrays.equals(longs, other.longs)
                    && Arrays.equals(bools, other.bools)
                    && Arrays.equals(strings, other.strings);
        }
    }

    /** A model input: which columns of the row's array of its type it reads, from where. */
    public record Tensor(String name, ElementType type, int offset, int width) {}

    /** How one column is read: its feature, map key, default, type and slot in its type's array. */
    private record ColumnPlan(
            FeatureDefinition definition,
            Column column,
            ElementType type,
            int slot,
            Object defaultValue) {}

    public FeatureVectorizer(ModelCard card) {
        this(card, FeatureRegistry.standard());
    }

    /** Reads features from {@code registry}; the card must have passed its checks against it. */
    public FeatureVectorizer(ModelCard card, FeatureRegistry registry) {
        List<ColumnPlan> plans = new ArrayList<>();
        List<Tensor> inputs = new ArrayList<>();
        for (Input input : card.modelInputs()) {
            int offset = counts[input.type().ordinal()];
            for (Column column : input.columns()) {
                FeatureDefinition definition =
                        registry.get(column.feature())
                                .orElseThrow(
                                        () ->
                                                new IllegalArgumentException(
                                                        "unknown feature " + column.feature()));
                plans.add(
                        new ColumnPlan(
                                definition,
                                column,
                                input.type(),
                                counts[input.type().ordinal()]++,
                                defaultValue(card, definition, column, input.type())));
            }
            inputs.add(new Tensor(input.name(), input.type(), offset, input.columns().size()));
        }
        columns = plans.toArray(new ColumnPlan[0]);
        tensors = List.copyOf(inputs);
    }

    /** The card's default, else the registry's when it fits the type, else NaN (floating). */
    private static Object defaultValue(
            ModelCard card, FeatureDefinition definition, Column column, ElementType type) {
        Object cardDefault = card.defaultFor(column);
        if (cardDefault != null) {
            return cardDefault;
        }
        Object registryDefault = column.key() == null ? definition.defaultValue() : null;
        if (registryDefault != null && ColumnValues.fits(type, registryDefault)) {
            return registryDefault;
        }
        return type.floating() ? Double.NaN : null;
    }

    /** All columns, of every input. */
    public int width() {
        return columns.length;
    }

    /** The model inputs, in card order. */
    public List<Tensor> tensors() {
        return tensors;
    }

    /** The row for a customer's features. */
    public Row row(CustomerFeatures features) {
        Row row = empty();
        List<String> imputed = null;
        for (ColumnPlan plan : columns) {
            Object value = plan.definition().valueOf(features);
            if (plan.column().key() != null) {
                value = value instanceof Map<?, ?> map ? map.get(plan.column().key()) : null;
            }
            if (!set(row, plan, value)) {
                set(row, plan, plan.defaultValue());
                imputed = imputed == null ? new ArrayList<>(2) : imputed;
                imputed.add(plan.column().name());
            }
        }
        return imputed == null ? row : withImputed(row, imputed);
    }

    /**
     * The row for named values (golden examples, the command line): by column name ({@code
     * category_affinity[books]}), else by feature name (a map feature's value is a map).
     */
    public Row row(Map<String, ?> values) {
        Row row = empty();
        List<String> imputed = new ArrayList<>();
        for (ColumnPlan plan : columns) {
            Object value = values.get(plan.column().name());
            if (value == null && plan.column().key() != null) {
                value =
                        values.get(plan.column().feature()) instanceof Map<?, ?> map
                                ? map.get(plan.column().key())
                                : null;
            }
            if (!set(row, plan, value)) {
                set(row, plan, plan.defaultValue());
                imputed.add(plan.column().name());
            }
        }
        return withImputed(row, imputed);
    }

    /** A row to fill; the types the model does not read share the empty arrays (per event). */
    private Row empty() {
        int doubles = counts[ElementType.DOUBLE.ordinal()];
        int longs = counts[ElementType.INT64.ordinal()];
        int bools = counts[ElementType.BOOL.ordinal()];
        int strings = counts[ElementType.STRING.ordinal()];
        float[] floats = new float[counts[ElementType.FLOAT.ordinal()]];
        if (doubles + longs + bools + strings == 0) {
            return new Row(floats, List.of());
        }
        return new Row(
                floats,
                new double[doubles],
                new long[longs],
                new boolean[bools],
                new String[strings],
                List.of());
    }

    private static Row withImputed(Row row, List<String> imputed) {
        return new Row(
                row.values(), row.doubles(), row.longs(), row.bools(), row.strings(), imputed);
    }

    /**
     * Writes {@code value} into its slot.
     *
     * @return false when it is missing or not a value of the column's type
     */
    private static boolean set(Row row, ColumnPlan plan, Object value) {
        if (value == null) {
            return false;
        }
        int slot = plan.slot();
        switch (plan.type()) {
            case FLOAT -> {
                Double v = ColumnValues.number(value);
                if (v == null) {
                    return false;
                }
                row.values()[slot] = v.floatValue();
            }
            case DOUBLE -> {
                Double v = ColumnValues.number(value);
                if (v == null) {
                    return false;
                }
                row.doubles()[slot] = v;
            }
            case INT64 -> {
                Long v = ColumnValues.whole(value);
                if (v == null) {
                    return false;
                }
                row.longs()[slot] = v;
            }
            case BOOL -> {
                Boolean v = ColumnValues.bool(value);
                if (v == null) {
                    return false;
                }
                row.bools()[slot] = v;
            }
            case STRING -> {
                String v = ColumnValues.string(value);
                if (v == null) {
                    return false;
                }
                row.strings()[slot] = v;
            }
        }
        return true;
    }
}
