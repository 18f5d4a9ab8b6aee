package io.personalize.job.carts;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.demo.DemoRunner;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At the end of a bounded input time stops at the last event: a cart whose abandonment (or
 * reminder) would fall after it is pending and not reported, while one before it is.
 */
class PendingCartsITCase {
    @TempDir Path tmp;

    private static String add(String id, String customer, String at) {
        return "{\"event_id\":\""
                + id
                + "\",\"event_type\":\"add_to_cart\",\"occurred_at\":\""
                + at
                + "\",\"customer_id\":\""
                + customer
                + "\",\"product\":{\"product_id\":\"p-1\",\"price\":20.0,\"quantity\":1}}";
    }

    @Test
    void cartsStillOpenAtTheEndOfABoundedInputArePendingNotAbandoned() throws Exception {
        Path input = tmp.resolve("events.jsonl");
        Files.write(
                input,
                List.of(
                        add("e1", "c1", "2025-03-01T10:00:00Z"), // abandoned at 11:00
                        add("e2", "c2", "2025-03-01T11:30:00Z"), // would be at 12:30: pending
                        "{\"event_id\":\"e3\",\"event_type\":\"page_view\",\"occurred_at\":"
                                + "\"2025-03-01T12:00:00Z\",\"customer_id\":\"c3\"}"));
        new DemoRunner(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(
                        new DemoRunner.Options(
                                tmp.resolve("out"), 0, 0, input, InputFormat.ENVELOPE, false),
                        ConfigLoader.load(
                                null, Map.of(), List.of("personalize.checkpoint.interval=1 s")));

        CatalogSettings settings =
                CatalogSettings.localSqlite(tmp.resolve("out/warehouse"), "personalize");
        List<Record> rows =
                TableReader.readAll(
                        settings.catalogLoader()
                                .loadCatalog()
                                .loadTable(
                                        Tables.CART_ABANDONMENTS.identifier(
                                                settings.icebergNamespace())));
        assertThat(rows)
                .extracting(r -> r.getField("customer_id"), r -> r.getField("status"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", "abandoned"));
    }
}
