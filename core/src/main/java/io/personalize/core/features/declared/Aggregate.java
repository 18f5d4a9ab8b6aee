package io.personalize.core.features.declared;

import io.personalize.core.features.FeatureType;
import java.util.Locale;

/** What a windowed declared feature computes over the matching events in its window. */
public enum Aggregate {
    COUNT,
    SUM,
    MIN,
    MAX,
    AVERAGE,
    DISTINCT_COUNT,
    /** The value of the latest matching event (by event time) still in the window. */
    LAST;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The aggregate for its file name ({@code avg} is {@code average}), or {@code null}. */
    public static Aggregate fromYaml(String name) {
        if ("avg".equals(name)) {
            return AVERAGE;
        }
        for (Aggregate aggregate : values()) {
            if (aggregate.yamlName().equals(name)) {
                return aggregate;
            }
        }
        return null;
    }

    /** Whether the aggregate reads a {@code value:} expression of each event. */
    public boolean needsValue() {
        return this != COUNT;
    }

    /** Whether its values must be numbers. */
    public boolean numeric() {
        return this == SUM || this == MIN || this == MAX || this == AVERAGE;
    }

    /** The feature type of the result; for {@link #LAST} the declared type ({@code null}: none). */
    public FeatureType resultType(FeatureType declared) {
        return switch (this) {
            case COUNT, DISTINCT_COUNT -> FeatureType.LONG;
            case SUM, MIN, MAX, AVERAGE -> FeatureType.DOUBLE;
            case LAST -> declared;
        };
    }
}
