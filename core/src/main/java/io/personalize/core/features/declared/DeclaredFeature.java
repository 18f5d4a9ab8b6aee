package io.personalize.core.features.declared;

import io.personalize.core.features.FeatureType;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * One feature of a declared-features file, checked: its name, kind, value type and what its kind
 * needs. Profile attributes have a {@link #path} into the {@code profile} object of {@code
 * profile_updated} events, a {@link #defaultValue} and a {@link #maxAge}; windowed aggregates a
 * {@link #where} predicate and a {@link #value} expression over the event (CEL), an {@link
 * #aggregate} and a {@link #window}; derived features an {@link #expression} over other features.
 */
public record DeclaredFeature(
        String name,
        DeclaredKind kind,
        FeatureType type,
        String description,
        String unit,
        List<String> path,
        Object defaultValue,
        Duration maxAge,
        Aggregate aggregate,
        String where,
        String value,
        Duration window,
        String expression)
        implements Serializable {

    public DeclaredFeature {
        path = path == null ? null : List.copyOf(path);
    }

    /** The description for the docs: the one given, else what the feature computes. */
    public String describe() {
        if (description != null && !description.isBlank()) {
            return description;
        }
        return switch (kind) {
            case PROFILE -> "profile attribute `" + String.join(".", path) + "`";
            case WINDOW ->
                    aggregate.yamlName()
                            + (value == null ? "" : " of `" + value + "`")
                            + " over events where `"
                            + where
                            + "`";
            case DERIVED -> "`" + expression + "`";
        };
    }
}
