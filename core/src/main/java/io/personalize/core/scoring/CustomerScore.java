package io.personalize.core.scoring;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One customer's score by one model version, as of an event time: one row of the {@code scores}
 * table and what the decision stage reads (champion scores only). A Flink POJO.
 */
public class CustomerScore {
    public static final String CHAMPION = "champion";
    public static final String SHADOW = "shadow";

    public String customerKey;

    /** The marker that the customer was erased: a table writer drops what it holds of them. */
    public boolean erased;

    public String customerId;

    /** The model's name in the registry, e.g. {@code purchase_propensity}. */
    public String model;

    /** The version that scored; the failed version's when {@link #fallback}. */
    public String version;

    /** {@link #CHAMPION} (drives decisions) or {@link #SHADOW} (a challenger, recorded only). */
    public String role;

    public double score;

    /** The class or cluster label; null for regressions and fallbacks. */
    public String label;

    /**
     * Classifiers: the probability of every class, by label, in the card's label order (a binary
     * model's both classes); null for regressions, clusterings and fallbacks.
     */
    public Map<String, Double> probabilities;

    /** Features that were missing and took the card's defaults, in the card's order. */
    public List<String> imputed;

    /** Whether the score comes from the registry's fallback rule, not the model. */
    public boolean fallback;

    /** Why the model could not score; null unless {@link #fallback}. */
    public String fallbackReason;

    /** Event time of the features scored. */
    public long asOf;

    /** Processing time of the scoring. */
    public long scoredAt;

    public CustomerScore() {}

    public boolean champion() {
        return CHAMPION.equals(role);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustomerScore s
                && Double.compare(score, s.score) == 0
                && fallback == s.fallback
                && asOf == s.asOf
                && scoredAt == s.scoredAt
                && Objects.equals(customerKey, s.customerKey)
                && Objects.equals(customerId, s.customerId)
                && Objects.equals(model, s.model)
                && Objects.equals(version, s.version)
                && Objects.equals(role, s.role)
                && Objects.equals(label, s.label)
                && Objects.equals(probabilities, s.probabilities)
                && Objects.equals(imputed, s.imputed)
                && Objects.equals(fallbackReason, s.fallbackReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerKey, model, version, role, asOf);
    }

    @Override
    public String toString() {
        return "CustomerScore{"
                + customerKey
                + " "
                + model
                + " "
                + version
                + " "
                + role
                + " "
                + score
                + (fallback ? " fallback: " + fallbackReason : "")
                + " @"
                + asOf
                + "}";
    }
}
