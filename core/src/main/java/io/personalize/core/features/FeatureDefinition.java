package io.personalize.core.features;

import java.time.Duration;
import java.util.function.Function;

/**
 * One feature: its one name, type, unit, window, meaning, the value used when data is missing
 * ({@code null}: none, rules see "unknown"), and the age after which a value counts as stale.
 */
public record FeatureDefinition(
        String name,
        FeatureType type,
        String unit,
        Duration window,
        String description,
        Object defaultValue,
        Duration maxAge,
        Function<CustomerFeatures, Object> accessor) {

    /** The feature's value in a snapshot ({@code null} when missing). */
    public Object valueOf(CustomerFeatures features) {
        return accessor.apply(features);
    }
}
