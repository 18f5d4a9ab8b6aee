package io.personalize.core.features;

import java.util.Locale;

/** Where a customer is in their buying life; thresholds in {@link FeatureConfig}. */
public enum LifecycleStage {
    /** No purchase yet. */
    NEVER_PURCHASED,
    /** First purchase within the new-customer window. */
    NEW,
    /** Bought within the at-risk threshold, and not new. */
    ACTIVE,
    /** No purchase for longer than the at-risk threshold. */
    AT_RISK,
    /** No purchase for longer than the lapsed threshold. */
    LAPSED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
