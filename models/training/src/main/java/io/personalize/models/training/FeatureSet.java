package io.personalize.models.training;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.training.PointInTime;
import io.personalize.models.FeatureVectorizer;
import io.personalize.models.ModelCard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features a model reads, in order, with the values that stand in for missing ones: exactly
 * what its card says, and training rows are made by the scoring side's own {@link
 * FeatureVectorizer} from the card, so a model sees in training what it sees in the job.
 */
public record FeatureSet(List<String> names, Map<String, Double> defaults) {

    /** Numeric behaviour features the propensity, churn and value models read. */
    public static final List<String> BEHAVIOUR =
            List.of(
                    "days_since_last_purchase",
                    "orders_30d",
                    "orders_90d",
                    "lifetime_orders",
                    "revenue_90d",
                    "lifetime_revenue",
                    "avg_order_value",
                    "product_views_7d",
                    "sessions_7d",
                    "add_to_carts_7d",
                    "cart_value",
                    "email_open_rate_30d",
                    "email_click_rate_30d",
                    "days_since_last_open",
                    "engagement_score");

    /** What the segment clusters are found on. */
    public static final List<String> SEGMENTS =
            List.of(
                    "days_since_last_purchase",
                    "orders_90d",
                    "revenue_90d",
                    "avg_order_value",
                    "product_views_7d",
                    "sessions_7d",
                    "email_open_rate_30d",
                    "engagement_score");

    /**
     * Finite stand-ins for features that can be unknown, for models that cannot take a missing
     * value (linear, clusters): no purchase or open yet reads as a year ago, no rate as zero.
     */
    static final Map<String, Double> FINITE_DEFAULTS =
            Map.of(
                    "days_since_last_purchase", 365.0,
                    "days_since_last_open", 365.0,
                    "avg_order_value", 0.0,
                    "email_open_rate_30d", 0.0,
                    "email_click_rate_30d", 0.0);

    public FeatureSet {
        names = List.copyOf(names);
        defaults = new LinkedHashMap<>(defaults);
    }

    /** Missing values stay missing (NaN): for tree models, which learn where missing goes. */
    public static FeatureSet missingAsNaN(List<String> names) {
        Map<String, Double> defaults = new LinkedHashMap<>();
        for (String name : names) {
            if (definition(name).defaultValue() == null) {
                defaults.put(name, Double.NaN);
            }
        }
        return new FeatureSet(names, defaults);
    }

    /** Missing values take {@link #FINITE_DEFAULTS}: for models that need a number. */
    public static FeatureSet missingAsFinite(List<String> names) {
        Map<String, Double> defaults = new LinkedHashMap<>();
        for (String name : names) {
            if (definition(name).defaultValue() == null) {
                Double value = FINITE_DEFAULTS.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("no finite default for " + name);
                }
                defaults.put(name, value);
            }
        }
        return new FeatureSet(names, defaults);
    }

    public int width() {
        return names.size();
    }

    /** The card's inputs: one float tensor of these features. */
    public ModelCard.Inputs inputs(String tensor) {
        return new ModelCard.Inputs(tensor, null, names);
    }

    /** The job's vectorizer for these features and defaults. */
    public FeatureVectorizer vectorizer() {
        ModelCard draft =
                new ModelCard(
                        "training",
                        "0",
                        null,
                        null,
                        inputs("features"),
                        null,
                        null,
                        null,
                        defaults,
                        null,
                        null,
                        null);
        return new FeatureVectorizer(draft);
    }

    /** One row per snapshot, as the job would feed it. */
    public float[][] rows(List<PointInTime.Snapshot> snapshots) {
        FeatureVectorizer vectorizer = vectorizer();
        float[][] rows = new float[snapshots.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = vectorizer.row(snapshots.get(i).features()).values();
        }
        return rows;
    }

    /**
     * The known feature values of a snapshot, for a golden example: missing ones are left out so
     * that the card's defaults apply, as in the job.
     */
    public Map<String, Double> knownValues(CustomerFeatures features) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String name : names) {
            Object value = definition(name).valueOf(features);
            if (value instanceof Number n) {
                values.put(name, n.doubleValue());
            }
        }
        return values;
    }

    private static FeatureDefinition definition(String name) {
        return FeatureRegistry.standard()
                .get(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown feature " + name));
    }
}
