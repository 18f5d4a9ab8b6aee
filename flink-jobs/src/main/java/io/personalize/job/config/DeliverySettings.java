package io.personalize.job.config;

import io.personalize.core.conversions.Attribution;
import io.personalize.core.delivery.DeliveryEndpoints;
import io.personalize.core.delivery.Endpoint;
import io.personalize.core.delivery.RetryPolicy;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * Trigger delivery (endpoints, retries, in-flight capacity) and conversion attribution, checked at
 * start: an endpoints file with a problem, or a secret reference that does not resolve here, stops
 * the start with a message naming it.
 *
 * @param endpoints null when no endpoints file is configured: nothing is delivered
 */
public record DeliverySettings(
        DeliveryEndpoints endpoints,
        RetryPolicy retry,
        int capacity,
        Duration attributionWindow,
        Attribution.Mode attribution)
        implements Serializable {

    public boolean enabled() {
        return endpoints != null;
    }

    /**
     * The async stage's own timeout, a safety net above the maximum age (the delivery function
     * itself fails a trigger at its maximum age): past it a trigger fails even if an attempt still
     * runs.
     */
    public Duration stageTimeout() {
        return retry.maxAge()
                .plus(retry.maxBackoff())
                .plus(endpoints.slowestTimeout().multipliedBy(2));
    }

    static DeliverySettings from(Configuration conf, Map<String, String> environment) {
        RetryPolicy retry;
        try {
            retry =
                    new RetryPolicy(
                            conf.get(PersonalizeOptions.DELIVERY_MAX_ATTEMPTS),
                            conf.get(PersonalizeOptions.DELIVERY_INITIAL_BACKOFF),
                            conf.get(PersonalizeOptions.DELIVERY_MAX_BACKOFF),
                            conf.get(PersonalizeOptions.DELIVERY_MAX_AGE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("personalize.delivery.*: " + e.getMessage());
        }
        int capacity = conf.get(PersonalizeOptions.DELIVERY_CAPACITY);
        if (capacity < 1) {
            throw new ConfigException("personalize.delivery.capacity must be at least 1");
        }
        Attribution.Mode mode;
        try {
            mode = Attribution.Mode.fromCode(conf.get(PersonalizeOptions.CONVERSIONS_ATTRIBUTION));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("personalize.conversions.attribution must be last or first");
        }
        Duration window = conf.get(PersonalizeOptions.CONVERSIONS_WINDOW);
        if (window.isNegative() || window.isZero()) {
            throw new ConfigException("personalize.conversions.attribution-window must be > 0");
        }
        return new DeliverySettings(
                endpoints(conf.get(PersonalizeOptions.DELIVERY_ENDPOINTS), environment),
                retry,
                capacity,
                window,
                mode);
    }

    private static DeliveryEndpoints endpoints(String path, Map<String, String> environment) {
        if (path == null) {
            return null;
        }
        DeliveryEndpoints endpoints;
        try {
            endpoints = DeliveryEndpoints.load(Path.of(path));
        } catch (IOException e) {
            throw new ConfigException("personalize.delivery.endpoints: cannot read " + path);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        for (Endpoint endpoint : endpoints.byId().values()) {
            try {
                endpoint.signer(environment);
            } catch (IllegalStateException e) {
                throw new ConfigException(path + ": " + e.getMessage());
            }
        }
        return endpoints;
    }
}
