package io.personalize.job.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.segments.SegmentDefinitions;
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
 * Through the whole job: a segment on declared features (a profile attribute from CRM profile
 * events and a windowed count of custom events) takes in exactly the customers the file's
 * definitions say, a flow on that segment reads a declared feature (recorded in its decision), and
 * {@code customer_features} carries their values in its declared maps.
 */
class DeclaredFeaturesITCase {
    @TempDir Path tmp;

    private static String profile(String id, String customer, String at, String contract) {
        return "{\"event_id\":\""
                + id
                + "\",\"event_type\":\"profile_updated\",\"occurred_at\":\""
                + at
                + "\",\"customer_id\":\""
                + customer
                + "\",\"profile\":{\"attributes\":{\"contract_type\":\""
                + contract
                + "\"}}}";
    }

    private static String call(String id, String customer, String at) {
        return "{\"event_id\":\""
                + id
                + "\",\"event_type\":\"custom\",\"occurred_at\":\""
                + at
                + "\",\"customer_id\":\""
                + customer
                + "\",\"custom\":{\"type\":\"support_call\"}}";
    }

    @Test
    void aSegmentOnDeclaredFeaturesTakesInTheCustomersTheyDescribe() throws Exception {
        Path declared = tmp.resolve("features.yaml");
        Files.writeString(
                declared,
                """
                version: 1
                features:
                  - name: contract_type
                    kind: profile
                    type: string
                    path: attributes.contract_type
                  - name: support_calls_90d
                    kind: window
                    aggregate: count
                    where: event.event_type == 'custom' && event.custom.type == 'support_call'
                    window: 90d
                """);
        Path segments = tmp.resolve("segments.yaml");
        Files.writeString( // the shipped segments (the shipped flows name them) and one more
                segments,
                SegmentDefinitions.defaultsText().stripTrailing()
                        + "\n  - id: unhappy_monthly\n    name: Unhappy monthly\n"
                        + "    rule: support_calls_90d >= 2 && contract_type == 'month_to_month'\n");
        Path flows = tmp.resolve("flows.yaml");
        Files.writeString( // the shipped flows and one on the declared features
                flows,
                FlowDefinitions.defaultsText().stripTrailing()
                        + "\n  - id: retention_call\n    name: Retention call\n"
                        + "    trigger: {segment_entered: unhappy_monthly}\n"
                        + "    conditions:\n      - support_calls_90d >= 2\n"
                        + "    priority: 10\n    cooldown: 1d\n    endpoint: esp\n"
                        + "    template: tpl_retention\n");
        Path input = tmp.resolve("events.jsonl");
        Files.write(
                input,
                List.of(
                        profile("p1", "c1", "2025-03-01T10:00:00Z", "month_to_month"),
                        profile("p2", "c2", "2025-03-01T10:00:00Z", "two_year"),
                        profile("p3", "c3", "2025-03-01T10:00:00Z", "month_to_month"),
                        call("s1", "c1", "2025-03-02T10:00:00Z"),
                        call("s2", "c1", "2025-03-03T10:00:00Z"), // c1: 2 calls, monthly
                        call("s3", "c2", "2025-03-02T10:00:00Z"),
                        call("s4", "c2", "2025-03-03T10:00:00Z"), // c2: 2 calls, two-year
                        call("s5", "c3", "2025-03-02T10:00:00Z"))); // c3: 1 call
        new DemoRunner(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(
                        new DemoRunner.Options(
                                tmp.resolve("out"), 0, 0, input, InputFormat.ENVELOPE, false),
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "personalize.checkpoint.interval=1 s",
                                        "personalize.features.declared=" + declared,
                                        "personalize.segments.definitions=" + segments,
                                        "personalize.flows.definitions=" + flows)));

        CatalogSettings settings =
                CatalogSettings.localSqlite(tmp.resolve("out/warehouse"), "personalize");
        List<String> entered =
                TableReader.readAll(
                                settings.catalogLoader()
                                        .loadCatalog()
                                        .loadTable(
                                                Tables.SEGMENT_CHANGES.identifier(
                                                        settings.icebergNamespace())))
                        .stream()
                        .filter(r -> r.getField("segment_id").equals("unhappy_monthly"))
                        .map(r -> r.getField("customer_id") + " " + r.getField("change"))
                        .toList();
        assertThat(entered).containsExactly("c1 entered");

        List<String> decisions =
                TableReader.readAll(
                                settings.catalogLoader()
                                        .loadCatalog()
                                        .loadTable(
                                                Tables.DECISIONS.identifier(
                                                        settings.icebergNamespace())))
                        .stream()
                        .filter(r -> r.getField("flow_id").equals("retention_call"))
                        .map(r -> r.getField("customer_id") + " " + r.getField("features"))
                        .toList();
        assertThat(decisions).containsExactly("c1 {support_calls_90d=2}");

        Map<Object, String> latest = new java.util.TreeMap<>();
        for (Record row :
                TableReader.readAll(
                        settings.catalogLoader()
                                .loadCatalog()
                                .loadTable(
                                        Tables.CUSTOMER_FEATURES.identifier(
                                                settings.icebergNamespace())))) {
            latest.put(
                    row.getField("customer_id"),
                    row.getField("declared_strings") + " " + row.getField("declared_numbers"));
        }
        assertThat(latest)
                .containsEntry("c1", "{contract_type=month_to_month} {support_calls_90d=2.0}")
                .containsEntry("c2", "{contract_type=two_year} {support_calls_90d=2.0}")
                .containsEntry("c3", "{contract_type=month_to_month} {support_calls_90d=1.0}");
    }
}
