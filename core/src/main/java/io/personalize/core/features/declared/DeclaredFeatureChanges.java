package io.personalize.core.features.declared;

import io.personalize.core.features.FeatureType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether a changed declared-features file may replace the one that serves: it may not remove or
 * retype a declared feature that something serving reads (a segment, a flow, a model card), since
 * that reader would then see the feature unknown, or a value of another type, from the change on.
 * Features the change adds, and features nothing reads, are free to come and go. Plain Java.
 *
 * <pre>{@code
 * Optional<String> problem =
 *         DeclaredFeatureChanges.breaks(serving, next, Map.of("segment 'vip'", Set.of("ltv_tier")));
 * }</pre>
 */
public final class DeclaredFeatureChanges {
    private DeclaredFeatureChanges() {}

    /**
     * Why {@code next} may not replace {@code serving}, naming each reader and the feature it would
     * lose; empty when nothing serving reads a feature {@code next} removes or retypes.
     *
     * @param readers what serves, by description (e.g. {@code segment 'vip'}), with the feature
     *     names each reads; names that are not declared in {@code serving} are ignored
     */
    public static Optional<String> breaks(
            DeclaredFeatures serving,
            DeclaredFeatures next,
            Map<String, ? extends Collection<String>> readers) {
        Map<String, FeatureType> before = types(serving);
        Map<String, FeatureType> after = types(next);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ? extends Collection<String>> reader :
                new TreeMap<String, Collection<String>>(readers).entrySet()) {
            for (String name : new TreeSet<>(reader.getValue())) {
                FeatureType was = before.get(name);
                if (was == null) {
                    continue; // built in, or not declared: not this file's to take away
                }
                FeatureType now = after.get(name);
                if (now == null) {
                    problems.add(
                            reader.getKey()
                                    + " reads feature '"
                                    + name
                                    + "', which the file no longer declares");
                } else if (now != was) {
                    problems.add(
                            reader.getKey()
                                    + " reads feature '"
                                    + name
                                    + "' as "
                                    + DeclaredFile.typeName(was)
                                    + ", which the file makes "
                                    + DeclaredFile.typeName(now));
                }
            }
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                "declared features version "
                        + next.version()
                        + " would break what serves (change the readers first):\n  "
                        + String.join("\n  ", problems));
    }

    private static Map<String, FeatureType> types(DeclaredFeatures features) {
        Map<String, FeatureType> types = new TreeMap<>();
        for (DeclaredFeature f : features.features()) {
            types.put(f.name(), f.type());
        }
        return types;
    }
}
