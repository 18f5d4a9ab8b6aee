package io.personalize.job.carts;

import io.personalize.core.recommend.ProductCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product catalog a recommender serves, re-read when its file changes (checked at most once per
 * poll interval). A file that does not load is refused with a warning naming the problem and
 * counted ({@code catalog_refused}); the previous catalog keeps serving.
 */
final class CatalogWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogWatcher.class);

    private final Path path;
    private final long pollMillis;
    private final Counter refused;
    private ProductCatalog current = ProductCatalog.empty();
    private FileTime loadedVersion;
    private long checkedAt;

    CatalogWatcher(String path, Duration pollInterval, MetricGroup metrics) {
        this.path = path == null ? null : Path.of(path);
        this.pollMillis = pollInterval.toMillis();
        this.refused = metrics.counter("catalog_refused");
        metrics.gauge("catalog_products", () -> current.size());
        checkedAt = System.currentTimeMillis();
        reloadIfChanged();
    }

    /** The serving catalog, after reloading it when the file changed. */
    ProductCatalog current() {
        long now = System.currentTimeMillis();
        if (path != null && now - checkedAt >= pollMillis) {
            checkedAt = now;
            reloadIfChanged();
        }
        return current;
    }

    private void reloadIfChanged() {
        if (path == null) {
            return;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            if (modified.equals(loadedVersion)) {
                return;
            }
            loadedVersion = modified;
            current = ProductCatalog.load(path);
            LOG.info("Serving product catalog {} ({} products)", path, current.size());
        } catch (Exception e) { // a bad file of any kind is refused, never fatal
            refused.inc();
            LOG.warn(
                    "Product catalog {} refused, the previous one ({} products) keeps serving: {}",
                    path,
                    current.size(),
                    e.getMessage());
        }
    }
}
