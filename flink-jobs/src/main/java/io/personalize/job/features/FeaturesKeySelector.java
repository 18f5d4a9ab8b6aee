package io.personalize.job.features;

import io.personalize.core.features.CustomerFeatures;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys feature snapshots by customer, as the events they come from. */
public final class FeaturesKeySelector implements KeySelector<CustomerFeatures, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(CustomerFeatures features) {
        return features.customerKey;
    }
}
