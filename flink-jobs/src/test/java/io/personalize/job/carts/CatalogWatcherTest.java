package io.personalize.job.carts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served catalog follows its file, and a bad file keeps the previous catalog serving. */
class CatalogWatcherTest {
    private static final String HEADER = "product_id,name,category,price,image_url,in_stock\n";

    @TempDir Path tmp;

    private final SimpleCounter refused = new SimpleCounter();
    private final UnregisteredMetricsGroup metrics =
            new UnregisteredMetricsGroup() {
                @Override
                public Counter counter(String name) {
                    return name.equals("catalog_refused") ? refused : super.counter(name);
                }
            };

    private static void write(Path file, String text, int version) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_000_000 + version)));
    }

    @Test
    void changedFileIsServedAndABadOneIsRefusedWhileThePreviousKeepsServing() throws Exception {
        Path file = tmp.resolve("catalog.csv");
        write(file, HEADER + "p1,Shoe,apparel.shoes,20.00,,true\n", 1);
        CatalogWatcher watcher = new CatalogWatcher(file.toString(), Duration.ZERO, metrics);
        assertThat(watcher.current().info("p1").name).isEqualTo("Shoe");

        write(file, HEADER + "p1,Shoe,apparel.shoes,20.00,,false\np2,Bag,,5,,\n", 2);
        assertThat(watcher.current().size()).isEqualTo(2);
        assertThat(watcher.current().outOfStock("p1")).isTrue();

        write(file, HEADER + "p3,Hat,,not-a-price,,\n", 3);
        assertThat(watcher.current().size()).as("previous catalog kept").isEqualTo(2);
        assertThat(refused.getCount()).isEqualTo(1);
    }
}
