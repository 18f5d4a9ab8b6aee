package io.personalize.job.carts;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.recommend.ProductCatalog;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.demo.DemoRunner;
import io.personalize.job.demo.DemoSummary;
import io.personalize.job.testing.DemoEvents;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on generated data, end to end through the CEP patterns and the recommender into {@code
 * cart_abandonments}: every lifecycle count equals {@link PlainCarts}, a plain loop over the same
 * events, and the recommendations respect their exclusions.
 */
class CartAbandonmentITCase {
    private static final int EVENTS = 30_000;

    @TempDir static Path tmp;

    private static DemoSummary summary;
    private static List<Record> rows;
    private static Map<String, List<Event>> eventsByCustomer;
    private static long lastEventTime;

    @BeforeAll
    static void runTheDemo() throws Exception {
        summary =
                new DemoRunner(
                                new PrintStream(
                                        new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                        .run(
                                new DemoRunner.Options(
                                        tmp.resolve("out"),
                                        EVENTS,
                                        11,
                                        null,
                                        io.personalize.core.adapters.InputFormat.ENVELOPE,
                                        false),
                                ConfigLoader.load(
                                        null,
                                        Map.of(),
                                        List.of(
                                                "personalize.checkpoint.interval=1 s",
                                                "parallelism.default=2",
                                                // PlainCarts follows each key's own events;
                                                // IdentityStitchingITCase covers the carts of
                                                // visitors who log in
                                                "personalize.identity.stitching=false")));
        CatalogSettings settings =
                CatalogSettings.localSqlite(tmp.resolve("out/warehouse"), "personalize");
        Catalog catalog = settings.catalogLoader().loadCatalog();
        rows =
                TableReader.readAll(
                        catalog.loadTable(
                                Tables.CART_ABANDONMENTS.identifier(settings.icebergNamespace())));
        readEvents(tmp.resolve("out/input/events.jsonl"));
    }

    private static void readEvents(Path file) throws Exception {
        DemoEvents events = DemoEvents.read(file);
        eventsByCustomer = events.byCustomer();
        lastEventTime = events.lastEventTime();
    }

    @Test
    void everyLifecycleCountAndTheRepeatsEqualAPlainComputationOverTheSameEvents() {
        Map<String, Long> expected = plainCounts();
        Map<String, Long> byStatus = new HashMap<>();
        rows.forEach(r -> byStatus.merge((String) r.getField("status"), 1L, Long::sum));
        rows.stream()
                .filter(r -> "abandoned".equals(r.getField("status")))
                .filter(r -> Boolean.TRUE.equals(r.getField("repeat")))
                .forEach(r -> byStatus.merge(PlainCarts.REPEAT, 1L, Long::sum));

        assertThat(expected.get("abandoned")).as("enough carts to compare").isGreaterThan(50);
        assertThat(expected.get(PlainCarts.REPEAT)).as("repeats to compare").isPositive();
        assertThat(byStatus).isEqualTo(expected);
    }

    @Test
    void abandonedCartsCarryTopThreeRecommendationsOutsideTheCartAndInStock() {
        ProductCatalog catalog = ProductCatalog.load(tmp.resolve("out/catalog.csv"));
        List<Record> abandoned =
                rows.stream().filter(r -> "abandoned".equals(r.getField("status"))).toList();
        assertThat(abandoned).isNotEmpty();
        Set<String> sources = new HashSet<>();
        for (Record row : abandoned) {
            List<?> recommendations = (List<?>) row.getField("recommendations");
            assertThat(recommendations).hasSize(3);
            Set<String> inCart = new HashSet<>();
            for (Object item : (List<?>) row.getField("items")) {
                inCart.add((String) ((Record) item).getField("product_id"));
            }
            for (Object o : recommendations) {
                Record r = (Record) o;
                String product = (String) r.getField("product_id");
                assertThat(inCart).doesNotContain(product);
                assertThat(catalog.outOfStock(product)).as(product).isFalse();
                assertThat(r.getField("name")).isNotNull();
                sources.add((String) r.getField("source"));
            }
        }
        assertThat(sources).contains("co_occurrence");
        assertThat(rows)
                .filteredOn(r -> !"abandoned".equals(r.getField("status")))
                .filteredOn(r -> !"reminder_due".equals(r.getField("status")))
                .allSatisfy(r -> assertThat((List<?>) r.getField("recommendations")).isEmpty());
    }

    /**
     * The summary's cart counts are the plain loop's, status by status and repeats; of browse
     * abandonments it is only checked that there are some (an exact count from a plain computation
     * is not built yet).
     */
    @Test
    void theDemoSummaryCountsEveryStatusAndTheRepeatsAndFindsBrowseAbandonments() {
        Map<String, Long> expected = new HashMap<>(plainCounts());
        for (String status :
                List.of("abandoned", "reminder_due", "recovered", "emptied", PlainCarts.REPEAT)) {
            expected.putIfAbsent(status, 0L);
        }
        Map<String, Long> counted = new HashMap<>(summary.cartLifecycle());
        assertThat(counted.remove("browse_abandoned")).isPositive();
        assertThat(counted).isEqualTo(expected);
    }

    /** What {@link PlainCarts} counts, without the carts still pending at the end of the input. */
    private static Map<String, Long> plainCounts() {
        PlainCarts plain =
                new PlainCarts(
                        Duration.ofHours(1).toMillis(),
                        Duration.ofHours(24).toMillis(),
                        lastEventTime);
        eventsByCustomer.values().forEach(plain::customer);
        plain.counts.remove("pending"); // see cartsStillOpenAtTheEndOfABoundedInputArePending
        return plain.counts;
    }
}
