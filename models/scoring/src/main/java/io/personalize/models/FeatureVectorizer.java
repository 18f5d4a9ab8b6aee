package io.personalize.models;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns feature values into a model's input row, in the card's feature order. A missing value takes
 * the card's default (which may be NaN: "missing" to the model), else the registry's; every feature
 * that took a default is named in {@link Row#imputed()}.
 */
public final class FeatureVectorizer {
    private final List<FeatureDefinition> definitions;
    private final double[] defaults;

    /** One input row and the features that were missing in it. */
    public record Row(float[] values, List<String> imputed) {}

    public FeatureVectorizer(ModelCard card) {
        this(card, FeatureRegistry.standard());
    }

    FeatureVectorizer(ModelCard card, FeatureRegistry registry) {
        List<String> features = card.features();
        definitions = new ArrayList<>(features.size());
        defaults = new double[features.size()];
        for (int i = 0; i < features.size(); i++) {
            String name = features.get(i);
            FeatureDefinition definition =
                    registry.get(name)
                            .orElseThrow(
                                    () -> new IllegalArgumentException("unknown feature " + name));
            definitions.add(definition);
            Double cardDefault = card.defaults().get(name);
            Object registryDefault = definition.defaultValue();
            defaults[i] =
                    cardDefault != null
                            ? cardDefault
                            : registryDefault instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }

    public int width() {
        return definitions.size();
    }

    /** The row for a customer's features. */
    public Row row(CustomerFeatures features) {
        float[] values = new float[definitions.size()];
        List<String> imputed = null;
        for (int i = 0; i < values.length; i++) {
            Object value = definitions.get(i).valueOf(features);
            if (value instanceof Number n) {
                values[i] = n.floatValue();
            } else {
                values[i] = (float) defaults[i];
                imputed = imputed == null ? new ArrayList<>(2) : imputed;
                imputed.add(definitions.get(i).name());
            }
        }
        return new Row(values, imputed == null ? List.of() : imputed);
    }

    /** The row for named values (golden examples, the command line). */
    public Row row(Map<String, Double> values) {
        float[] out = new float[definitions.size()];
        List<String> imputed = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            Double value = values.get(definitions.get(i).name());
            if (value != null) {
                out[i] = value.floatValue();
            } else {
                out[i] = (float) defaults[i];
                imputed.add(definitions.get(i).name());
            }
        }
        return new Row(out, imputed);
    }
}
