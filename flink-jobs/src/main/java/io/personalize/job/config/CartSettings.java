package io.personalize.job.config;

import io.personalize.core.recommend.CatalogException;
import io.personalize.core.recommend.ProductCatalog;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/** The cart and browse patterns' and the recommender's parameters. */
public record CartSettings(
        Duration abandonAfter,
        Duration remindAfter,
        int browseMinViews,
        Duration browseWindow,
        Duration browseQuietPeriod,
        String catalogPath,
        Duration catalogPollInterval,
        int recommendationCount,
        Duration recommendationHalfLife,
        int maxNeighbours)
        implements Serializable {

    static CartSettings from(Configuration conf) {
        CartSettings settings =
                new CartSettings(
                        conf.get(PersonalizeOptions.CART_ABANDON_AFTER),
                        conf.get(PersonalizeOptions.CART_REMIND_AFTER),
                        conf.get(PersonalizeOptions.BROWSE_MIN_VIEWS),
                        conf.get(PersonalizeOptions.BROWSE_WINDOW),
                        conf.get(PersonalizeOptions.BROWSE_QUIET_PERIOD),
                        conf.get(PersonalizeOptions.CATALOG_PATH),
                        conf.get(PersonalizeOptions.CATALOG_POLL_INTERVAL),
                        conf.get(PersonalizeOptions.RECOMMENDATIONS_COUNT),
                        conf.get(PersonalizeOptions.RECOMMENDATIONS_HALF_LIFE),
                        conf.get(PersonalizeOptions.RECOMMENDATIONS_MAX_NEIGHBOURS));
        settings.check();
        return settings;
    }

    private void check() {
        positive("personalize.carts.abandon-after", abandonAfter);
        positive("personalize.carts.remind-after", remindAfter);
        positive("personalize.carts.browse.window", browseWindow);
        positive("personalize.carts.browse.quiet-period", browseQuietPeriod);
        positive("personalize.recommendations.half-life", recommendationHalfLife);
        if (browseMinViews < 1) {
            throw new ConfigException("personalize.carts.browse.min-views must be at least 1");
        }
        if (catalogPath != null) {
            try {
                ProductCatalog.load(Path.of(catalogPath));
            } catch (CatalogException e) {
                throw new ConfigException("personalize.catalog.path refused: " + e.getMessage());
            }
        }
        if (recommendationCount < 1 || maxNeighbours < 1) {
            throw new ConfigException(
                    "personalize.recommendations.count and .max-neighbours must be at least 1");
        }
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(key + " must be positive, was " + value);
        }
    }
}
