package io.personalize.models;

import io.personalize.core.features.FeatureType;
import io.personalize.models.ModelCard.ElementType;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which feature values an input column of each element type takes, and how one becomes the other.
 * One place for both, so what a card is allowed at load is what the vectorizer can do per row.
 *
 * <ul>
 *   <li>{@code float}, {@code double}: numbers, booleans (1/0), a key of a map feature; {@code
 *       double} also timestamps (epoch milliseconds)
 *   <li>{@code int64}: whole numbers (long features), timestamps, booleans (1/0)
 *   <li>{@code bool}: booleans, and strings {@code true}/{@code false} (any case; another string,
 *       such as {@code unknown}, counts as missing)
 *   <li>{@code string}: strings, as they are (the model's own encoder maps the categories)
 * </ul>
 */
final class ColumnValues {
    private ColumnValues() {}

    /**
     * The element types a feature of {@code type} can feed; a map feature only through a key. By
     * name, so a type added to the registry later (a boolean) needs no change here.
     */
    static Set<ElementType> feeds(FeatureType type, boolean mapKey) {
        if (mapKey) {
            return type == FeatureType.STRING_DOUBLE_MAP
                    ? EnumSet.of(ElementType.FLOAT, ElementType.DOUBLE)
                    : EnumSet.noneOf(ElementType.class);
        }
        return switch (type.name()) {
            case "LONG" -> EnumSet.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT64);
            case "DOUBLE" -> EnumSet.of(ElementType.FLOAT, ElementType.DOUBLE);
            case "TIMESTAMP" -> EnumSet.of(ElementType.DOUBLE, ElementType.INT64);
            case "STRING" -> EnumSet.of(ElementType.STRING, ElementType.BOOL);
            case "BOOLEAN" ->
                    EnumSet.of(
                            ElementType.BOOL,
                            ElementType.FLOAT,
                            ElementType.DOUBLE,
                            ElementType.INT64);
            default -> EnumSet.noneOf(ElementType.class);
        };
    }

    /**
     * Whether a configured value (a default) is a value of {@code type}; NaN only when floating.
     */
    static boolean fits(ElementType type, Object value) {
        return switch (type) {
            case FLOAT, DOUBLE -> value instanceof Number || value instanceof Boolean;
            case INT64 ->
                    value instanceof Boolean
                            || (value instanceof Number n
                                    && !Double.isNaN(n.doubleValue())
                                    && n.doubleValue() == Math.rint(n.doubleValue()));
            case BOOL -> value instanceof Boolean || bool(value) != null;
            case STRING -> value instanceof String;
        };
    }

    /** A number's or boolean's value as a double; null when it is neither. */
    static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return null;
    }

    /** A whole number (or boolean) as a long; null otherwise. */
    static Long whole(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        return null;
    }

    /** A boolean, or a string {@code true}/{@code false}; null otherwise. */
    static Boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            return t.equals("true") ? Boolean.TRUE : t.equals("false") ? Boolean.FALSE : null;
        }
        return null;
    }

    /** A string as it is; null for anything else. */
    static String string(Object value) {
        return value instanceof String s ? s : null;
    }
}
