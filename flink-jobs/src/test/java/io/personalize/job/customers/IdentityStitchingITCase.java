package io.personalize.job.customers;

import static io.personalize.job.EnvelopeLines.event;
import static io.personalize.job.EnvelopeLines.product;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.demo.DemoRunner;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity stitching through the whole job: a visitor views two products and adds one to the cart
 * anonymously, logs in ({@code identify}) and buys it as the customer. No abandonment and no
 * reminder for either key; the customer's features count the anonymous views and cart; {@code
 * identity_links} has the link; {@code events} holds every event once. A shared device: a second
 * customer logging in on an anonymous id takes the later anonymous events, the history stays with
 * the first. A visitor who never logs in still abandons (the pattern is live); one who logs in and
 * leaves the anonymous cart alone abandons it as the customer, and products the visitor kept
 * viewing are the customer's browse abandonment unless the customer carts them.
 */
class IdentityStitchingITCase {
    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    @TempDir Path tmp;

    @Test
    void aVisitorWhoLogsInAndBuysLeavesNoAbandonmentAndTheCustomerGetsTheVisitorsHistory()
            throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(event("v1-view1", "product_view", 0, null, "v-1", product("p-1", 20)));
        lines.add(event("v1-view2", "product_view", 1, null, "v-1", product("p-2", 35)));
        lines.add(event("v1-add", "add_to_cart", 2, null, "v-1", product("p-1", 20)));
        lines.add(event("v1-login", "identify", 5, "cust-1", "v-1", ""));
        lines.add(
                event("c1-order", "order_completed", 10, "cust-1", null, order("o-1", "p-1", 20)));
        // a shared device: cust-2 logs in, later cust-3 on the same anonymous id
        lines.add(event("v2-view", "product_view", 0, null, "v-2", product("p-3", 10)));
        lines.add(event("v2-login-a", "identify", 3, "cust-2", "v-2", ""));
        lines.add(event("v2-login-b", "identify", 30, "cust-3", "v-2", ""));
        lines.add(event("v2-view-later", "product_view", 40, null, "v-2", product("p-4", 12)));
        lines.add(event("v2-login-c", "identify", 50, "cust-3", "v-2", ""));
        // never logs in: abandons
        lines.add(event("v3-add", "add_to_cart", 1, null, "v-3", product("p-5", 8)));
        // logs in and leaves the anonymous cart alone: the customer abandons it
        lines.add(event("v4-add", "add_to_cart", 1, null, "v-4", product("p-6", 15)));
        lines.add(event("v4-login", "identify", 2, "cust-4", "v-4", ""));
        // browses a product twice, logs in and leaves it: the customer's browse abandonment
        lines.add(event("v5-view1", "product_view", 0, null, "v-5", product("p-7", 30)));
        lines.add(event("v5-view2", "product_view", 1, null, "v-5", product("p-7", 30)));
        lines.add(event("v5-login", "identify", 3, "cust-5", "v-5", ""));
        // the same, then carts it as the customer: no browse abandonment for either key
        lines.add(event("v6-view1", "product_view", 0, null, "v-6", product("p-8", 30)));
        lines.add(event("v6-view2", "product_view", 1, null, "v-6", product("p-8", 30)));
        lines.add(event("v6-login", "identify", 3, "cust-6", "v-6", ""));
        lines.add(event("c6-add", "add_to_cart", 4, "cust-6", null, product("p-8", 30)));
        // browses twice and logs in only after the quiet period: the visitor's abandonment
        lines.add(event("v7-view1", "product_view", 0, null, "v-7", product("p-10", 30)));
        lines.add(event("v7-view2", "product_view", 1, null, "v-7", product("p-10", 30)));
        lines.add(event("v7-login", "identify", 2 * 24 * 60, "cust-7", "v-7", ""));
        // in a segment as a visitor: the visitor's key leaves it at the login, the customer enters
        String phone = "p-electronics.smartphone-01";
        lines.add(event("v8-view", "product_view", 0, null, "v-8", product(phone, 300)));
        lines.add(event("v8-add", "add_to_cart", 1, null, "v-8", product(phone, 300)));
        lines.add(event("v8-login", "identify", 3, "cust-8", "v-8", ""));
        // time goes on past abandon-after and remind-after
        lines.add(event("c9-view", "product_view", 3 * 24 * 60, "cust-9", null, product("p-9", 5)));
        Path input = tmp.resolve("identity.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);

        Path output = tmp.resolve("out");
        new DemoRunner(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(
                        new DemoRunner.Options(
                                output, 0, 1, input, InputFormat.ENVELOPE, false, true),
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "personalize.restart.attempts=0",
                                        "personalize.identity.stitching=true",
                                        "personalize.features.history-bucket=1 min")));
        CatalogSettings catalog =
                CatalogSettings.localSqlite(output.resolve("warehouse"), "personalize");

        Map<String, List<String>> carts =
                TableReader.readAll(
                                table(catalog, Tables.CART_ABANDONMENTS), "customer_key", "status")
                        .stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> (String) r.getField("customer_key"),
                                        Collectors.mapping(
                                                r -> (String) r.getField("status"),
                                                Collectors.toList())));
        assertThat(carts).doesNotContainKeys("a:v-1", "c:cust-1");
        assertThat(carts.get("a:v-3")).as("the visitor who never logged in").contains("abandoned");
        assertThat(carts).doesNotContainKey("a:v-4");
        Record carriedOver =
                TableReader.readAll(table(catalog, Tables.CART_ABANDONMENTS)).stream()
                        .filter(r -> "c:cust-4".equals(r.getField("customer_key")))
                        .filter(r -> "abandoned".equals(r.getField("status")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no abandonment of c:cust-4"));
        assertThat(carriedOver.getField("item_count")).isEqualTo(1);
        assertThat(carriedOver.getField("cart_value")).isEqualTo(15.0);
        assertThat(((OffsetDateTime) carriedOver.getField("last_change_at")).toInstant())
                .as("the cart changed for the customer at the login")
                .isEqualTo(T0.plus(Duration.ofMinutes(2)));

        Map<String, List<String>> browsed =
                TableReader.readAll(table(catalog, Tables.BROWSE_ABANDONMENTS)).stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> (String) r.getField("customer_key"),
                                        Collectors.mapping(
                                                r ->
                                                        r.getField("product_id")
                                                                + " views="
                                                                + r.getField("views"),
                                                Collectors.toList())));
        assertThat(browsed.get("c:cust-5"))
                .as("the visitor's views carried over to the customer")
                .containsExactly("p-7 views=2");
        assertThat(browsed).doesNotContainKeys("a:v-5", "a:v-6", "c:cust-6", "c:cust-7");
        assertThat(browsed.get("a:v-7"))
                .as("due before the login: the visitor's, reported once")
                .containsExactly("p-10 views=2");

        List<String> changes =
                TableReader.readAll(table(catalog, Tables.SEGMENT_CHANGES)).stream()
                        .filter(r -> r.getField("segment_id").equals("smartphone_cart_abandoners"))
                        .map(
                                r ->
                                        r.getField("customer_key")
                                                + " "
                                                + r.getField("change")
                                                + (r.getField("change").equals("exited")
                                                        ? " (" + r.getField("reason") + ")"
                                                        : ""))
                        .sorted()
                        .toList();
        assertThat(changes)
                .contains(
                        "a:v-8 entered",
                        "a:v-8 exited (" + CustomerOperator.MERGED + ")",
                        "c:cust-8 entered");

        Record merged = historyRow(catalog, "c:cust-1", T0.plus(Duration.ofMinutes(5)));
        assertThat(merged.getField("product_views_7d")).isEqualTo(2L);
        assertThat(merged.getField("cart_items")).isEqualTo(1L);
        assertThat(merged.getField("cart_value")).isEqualTo(20.0);
        Record customer = latest(catalog, "c:cust-1");
        assertThat(customer.getField("lifetime_orders")).isEqualTo(1L);
        assertThat(customer.getField("cart_items")).isEqualTo(0L);
        assertThat(customer.getField("product_views_7d")).isEqualTo(2L);

        assertThat(latest(catalog, "c:cust-2").getField("product_views_7d")).isEqualTo(1L);
        assertThat(latest(catalog, "c:cust-3").getField("product_views_7d"))
                .as("the anonymous view after cust-3's login merges at cust-3's next login")
                .isEqualTo(1L);

        List<String> links =
                TableReader.readAll(table(catalog, Tables.IDENTITY_LINKS)).stream()
                        .map(
                                r ->
                                        r.getField("anonymous_id")
                                                + " -> "
                                                + r.getField("customer_key")
                                                + " previous="
                                                + r.getField("previous_customer_id")
                                                + " restated="
                                                + r.getField("restated_events")
                                                + " by "
                                                + r.getField("source_event_id"))
                        .sorted()
                        .toList();
        assertThat(links)
                .containsExactly(
                        "v-1 -> c:cust-1 previous=null restated=3 by v1-login",
                        "v-2 -> c:cust-2 previous=null restated=1 by v2-login-a",
                        "v-2 -> c:cust-3 previous=cust-2 restated=0 by v2-login-b",
                        "v-4 -> c:cust-4 previous=null restated=1 by v4-login",
                        "v-5 -> c:cust-5 previous=null restated=2 by v5-login",
                        "v-6 -> c:cust-6 previous=null restated=2 by v6-login",
                        "v-7 -> c:cust-7 previous=null restated=2 by v7-login",
                        "v-8 -> c:cust-8 previous=null restated=2 by v8-login");

        List<String> eventIds =
                TableReader.readAll(table(catalog, Tables.EVENTS), "event_id").stream()
                        .map(r -> (String) r.getField("event_id"))
                        .toList();
        assertThat(eventIds).hasSize(lines.size()).doesNotHaveDuplicates();
    }

    /** The customer_features_history row of the key whose bucket starts at {@code bucket}. */
    private static Record historyRow(CatalogSettings catalog, String key, Instant bucket) {
        return TableReader.readAll(table(catalog, Tables.CUSTOMER_FEATURES_HISTORY)).stream()
                .filter(r -> key.equals(r.getField("customer_key")))
                .filter(
                        r -> {
                            Instant asOf = ((OffsetDateTime) r.getField("as_of")).toInstant();
                            return !asOf.isBefore(bucket)
                                    && asOf.isBefore(bucket.plus(Duration.ofMinutes(1)));
                        })
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no history row of " + key + " at " + bucket));
    }

    private static Record latest(CatalogSettings catalog, String key) {
        return TableReader.readAll(table(catalog, Tables.CUSTOMER_FEATURES)).stream()
                .filter(r -> key.equals(r.getField("customer_key")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no features row of " + key));
    }

    private static String order(String orderId, String productId, double price) {
        return ",\"order\":{\"order_id\":\""
                + orderId
                + "\",\"total\":"
                + price
                + ",\"items\":[{\"product_id\":\""
                + productId
                + "\",\"price\":"
                + price
                + ",\"quantity\":1}]}";
    }

    private static Table table(CatalogSettings catalog, TableDefinition table) {
        return catalog.catalogLoader()
                .loadCatalog()
                .loadTable(table.identifier(catalog.icebergNamespace()));
    }
}
