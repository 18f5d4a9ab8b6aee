package io.personalize.models;

import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.models.ModelCard.Column;
import io.personalize.models.ModelCard.ElementType;
import io.personalize.models.ModelCard.Input;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The model-free checks of a card that names the model's inputs: each input has a name, an element
 * type and columns; each column is a feature of the registry that can feed that type (a map feature
 * through one key); each column that can be missing has a default of the input's type. A problem
 * names the input and the column, once however many columns share it.
 */
final class NamedInputChecks {
    private NamedInputChecks() {}

    static void check(ModelCard card, FeatureRegistry registry, List<String> problems) {
        Set<String> found = new LinkedHashSet<>();
        Set<String> names = new HashSet<>();
        List<Input> inputs = card.inputs().named();
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            if (input.name() == null || input.name().isBlank()) {
                found.add("inputs[" + (i + 1) + "]: name missing (the model's input name)");
                continue;
            }
            String subject = "input '" + input.name() + "'";
            if (!names.add(input.name())) {
                found.add(subject + " listed twice");
            }
            if (input.type() == null) {
                found.add(subject + ": type missing (float, double, int64, bool or string)");
                continue;
            }
            if (input.columns().isEmpty()) {
                found.add(subject + " has no columns");
            }
            for (Column column : input.columns()) {
                checkColumn(card, registry, subject, input.type(), column, found);
            }
        }
        problems.addAll(found);
    }

    private static void checkColumn(
            ModelCard card,
            FeatureRegistry registry,
            String subject,
            ElementType type,
            Column column,
            Set<String> found) {
        String at = subject + " column '" + column.name() + "'";
        Optional<FeatureDefinition> definition = registry.get(column.feature());
        if (definition.isEmpty()) {
            found.add(
                    at
                            + ": unknown feature '"
                            + column.feature()
                            + "' (not in the feature registry)");
            return;
        }
        String featureType = definition.get().type().name().toLowerCase(java.util.Locale.ROOT);
        boolean map =
                definition.get().type()
                        == io.personalize.core.features.FeatureType.STRING_DOUBLE_MAP;
        if (map && column.key() == null) {
            found.add(
                    at
                            + ": '"
                            + column.feature()
                            + "' is a map, a column reads one key of it: "
                            + column.feature()
                            + "[key]");
            return;
        }
        if (!map && column.key() != null) {
            found.add(
                    at + ": '" + column.feature() + "' is " + featureType + ", not a map feature");
            return;
        }
        if (!ColumnValues.feeds(definition.get().type(), column.key() != null).contains(type)) {
            found.add(
                    at
                            + ": feature '"
                            + column.feature()
                            + "' is "
                            + featureType
                            + ", which a "
                            + type.yamlName()
                            + " input cannot take");
            return;
        }
        Object cardDefault = card.defaultFor(column);
        if (cardDefault != null) {
            if (!ColumnValues.fits(type, cardDefault)) {
                found.add(
                        "default "
                                + cardDefault
                                + " for '"
                                + (card.defaults().containsKey(column.name())
                                        ? column.name()
                                        : column.feature())
                                + "' is not a value of type "
                                + type.yamlName()
                                + " ("
                                + subject
                                + ")");
            }
            return;
        }
        Object registryDefault = column.key() == null ? definition.get().defaultValue() : null;
        if (registryDefault != null && ColumnValues.fits(type, registryDefault)) {
            return;
        }
        found.add(
                at
                        + " can be missing and has no default: give one under defaults"
                        + (type.floating()
                                ? ", or .nan to pass it as missing"
                                : " (an input of type "
                                        + type.yamlName()
                                        + " has no missing value)"));
    }
}
