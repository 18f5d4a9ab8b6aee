package io.personalize.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FeatureRegistryTest {
    private static final Set<String> NOT_FEATURES =
            Set.of(
                    "customerKey",
                    "erased",
                    "customerId",
                    "anonymousId",
                    "asOf",
                    "computedAt",
                    "segments",
                    "segmentChanges",
                    // declared features' values, read by the registry of a deployment's file
                    "declaredNumbers",
                    "declaredStrings",
                    "declaredBooleans",
                    "declaredLists",
                    "declaredTimes",
                    "staleFeatures");

    private final FeatureRegistry registry = FeatureRegistry.standard();

    private static List<Field> featureFields() {
        List<Field> fields = new ArrayList<>();
        for (Field field : CustomerFeatures.class.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isPublic(modifiers)
                    && !Modifier.isStatic(modifiers)
                    && !NOT_FEATURES.contains(field.getName())) {
                fields.add(field);
            }
        }
        return fields;
    }

    /** A value of the field's type that no other field holds. */
    private static Object sentinel(Field field, int index) {
        Class<?> type = field.getType();
        if (type == long.class || type == Long.class) {
            return 1_000_000L + index;
        }
        if (type == double.class || type == Double.class) {
            return 1_000_000.5 + index;
        }
        if (type == String.class) {
            return "sentinel-" + field.getName();
        }
        if (type == List.class) {
            return List.of("sentinel-" + field.getName());
        }
        if (type == Map.class) {
            return Map.of("sentinel-" + field.getName(), (double) index);
        }
        throw new AssertionError("no sentinel for " + field);
    }

    @Test
    void everyFeatureFieldIsCoveredByExactlyOneRegistryFeature() throws Exception {
        List<Field> fields = featureFields();
        CustomerFeatures features = new CustomerFeatures();
        Map<Object, String> fieldBySentinel = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            Object sentinel = sentinel(fields.get(i), i);
            fields.get(i).set(features, sentinel);
            fieldBySentinel.put(sentinel, fields.get(i).getName());
        }

        Map<String, List<String>> featuresByField = new HashMap<>();
        for (FeatureDefinition definition : registry.all()) {
            String field = fieldBySentinel.get(definition.valueOf(features));
            assertThat(field).as("the field %s reads", definition.name()).isNotNull();
            featuresByField.computeIfAbsent(field, f -> new ArrayList<>()).add(definition.name());
        }

        for (Field field : fields) {
            assertThat(featuresByField.get(field.getName()))
                    .as("registry features reading %s", field.getName())
                    .hasSize(1);
        }
        assertThat(registry.all()).hasSameSizeAs(fields);
    }

    @Test
    void eachFeatureReadsTheFieldOfTheSameNameWithAMatchingType() throws Exception {
        for (FeatureDefinition definition : registry.all()) {
            Field field = CustomerFeatures.class.getField(camelCase(definition.name()));
            Class<?> type = field.getType();
            switch (definition.type()) {
                case LONG, TIMESTAMP -> assertThat(type).isIn(long.class, Long.class);
                case DOUBLE -> assertThat(type).isIn(double.class, Double.class);
                case STRING -> assertThat(type).isEqualTo(String.class);
                case STRING_LIST -> assertThat(type).isEqualTo(List.class);
                case STRING_DOUBLE_MAP -> assertThat(type).isEqualTo(Map.class);
            }
            if (definition.type() == FeatureType.TIMESTAMP) {
                assertThat(definition.unit()).isEqualTo("UTC");
            }
        }
    }

    private static String camelCase(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    @Test
    void namesAreUniqueSnakeCase() {
        List<String> names = registry.all().stream().map(FeatureDefinition::name).toList();

        assertThat(names).doesNotHaveDuplicates();
        assertThat(names)
                .allSatisfy(name -> assertThat(name).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"));
    }

    @Test
    void everyFeatureIsDescribedAndANameEndingInDaysHasThatWindow() {
        for (FeatureDefinition definition : registry.all()) {
            assertThat(definition.description()).as(definition.name()).isNotBlank();
            Matcher days = Pattern.compile("_(\\d+)d$").matcher(definition.name());
            if (days.find()) {
                assertThat(definition.window())
                        .as("window of %s", definition.name())
                        .isEqualTo(Duration.ofDays(Long.parseLong(days.group(1))));
            }
        }
    }

    @Test
    void getFindsAFeatureByName() {
        assertThat(registry.get("orders_30d"))
                .hasValueSatisfying(d -> assertThat(d.type()).isEqualTo(FeatureType.LONG));
        assertThat(registry.get("orders_31d")).isEmpty();
    }

    @Test
    void valueReturnsTheDefaultForAMissingValue() {
        CustomerFeatures empty = new CustomerFeatures();

        assertThat(registry.value("email_consent", empty)).isEqualTo("unknown");
        assertThat(registry.value("lifecycle_stage", empty)).isEqualTo("never_purchased");
        assertThat(registry.value("recently_viewed_products", empty)).isEqualTo(List.of());
        assertThat(registry.value("category_affinity", empty)).isEqualTo(Map.of());
        assertThat(registry.value("age", empty)).isNull();
        assertThat(registry.value("email_open_rate_30d", empty)).isNull();
    }

    @Test
    void valueReturnsThePresentValueOverTheDefault() {
        CustomerFeatures features = new CustomerFeatures();
        features.emailConsent = "false";
        features.orders7d = 3;

        assertThat(registry.value("email_consent", features)).isEqualTo("false");
        assertThat(registry.value("orders_7d", features)).isEqualTo(3L);
    }

    @Test
    void valueOfAnUnknownFeatureThrowsNamingIt() {
        assertThatThrownBy(() -> registry.value("orders_365d", new CustomerFeatures()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orders_365d");
    }

    @Test
    void defaultsHaveTheFeaturesType() {
        for (FeatureDefinition definition : registry.all()) {
            Object value = definition.defaultValue();
            if (value == null) {
                continue;
            }
            switch (definition.type()) {
                case LONG, TIMESTAMP ->
                        assertThat(value).as(definition.name()).isInstanceOf(Long.class);
                case DOUBLE -> assertThat(value).as(definition.name()).isInstanceOf(Double.class);
                case STRING -> assertThat(value).as(definition.name()).isInstanceOf(String.class);
                case STRING_LIST ->
                        assertThat(value).as(definition.name()).isInstanceOf(List.class);
                case STRING_DOUBLE_MAP ->
                        assertThat(value).as(definition.name()).isInstanceOf(Map.class);
            }
        }
    }

    @Test
    void theMarkdownTableHasOneRowPerFeature() {
        String table = registry.markdownTable();

        assertThat(table.lines()).hasSize(registry.all().size() + 2);
        registry.all().forEach(d -> assertThat(table).contains("| `" + d.name() + "` |"));
    }
}
