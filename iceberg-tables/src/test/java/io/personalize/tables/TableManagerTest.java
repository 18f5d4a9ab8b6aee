package io.personalize.tables;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.features.FeatureRegistry;
import io.personalize.tables.rows.FeatureRows;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table creation and migration against a real SQLite JDBC catalog. */
class TableManagerTest {
    @TempDir Path tmp;

    @Test
    void createsEveryTableWithItsSpecAndIsSafeToRunAgain() {
        CatalogSettings settings = CatalogSettings.localSqlite(tmp, "analytics.personalize");
        settings.withCatalog(
                catalog -> {
                    TableManager manager = new TableManager(catalog, settings.icebergNamespace());
                    manager.ensure(Tables.all());
                    Map<String, Table> again = manager.ensure(Tables.all());

                    assertThat(again)
                            .containsOnlyKeys(
                                    "events",
                                    "dead_letters",
                                    "customer_features",
                                    "customer_features_history",
                                    "segment_changes",
                                    "cart_abandonments",
                                    "browse_abandonments",
                                    "scores",
                                    "decisions",
                                    "decisions_latest",
                                    "deliveries",
                                    "conversions",
                                    "identity_links");
                    Table events = again.get("events");
                    assertThat(events.spec().fields())
                            .extracting(f -> f.transform().toString())
                            .containsExactly("month");
                    assertThat(
                                    ((org.apache.iceberg.HasTableOperations) events)
                                            .operations()
                                            .current()
                                            .formatVersion())
                            .isEqualTo(2);
                    assertThat(events.properties())
                            .containsEntry("write.parquet.compression-codec", "zstd");
                    assertThat(again.get("customer_features").schema().identifierFieldNames())
                            .containsExactly("customer_key");
                    return null;
                });
    }

    @Test
    void addsTheColumnsAndThePartitioningThatAnExistingTableLacks() {
        CatalogSettings settings = CatalogSettings.localSqlite(tmp, "personalize");
        settings.withCatalog(
                catalog -> {
                    Schema old =
                            new Schema(
                                    Types.NestedField.required(
                                            1, "dead_letter_id", Types.StringType.get()),
                                    Types.NestedField.required(
                                            3, "reason", Types.StringType.get()));
                    createOldTable(catalog, settings.icebergNamespace(), old);

                    Table migrated =
                            new TableManager(catalog, settings.icebergNamespace())
                                    .ensure(java.util.List.of(Tables.DEAD_LETTERS))
                                    .get("dead_letters");

                    assertThat(migrated.schema().findField("raw_payload")).isNotNull();
                    assertThat(migrated.schema().findField("stage")).isNotNull();
                    // and evolved to the declared partitioning (files written before keep theirs)
                    assertThat(migrated.spec().fields())
                            .extracting(f -> f.transform() + "(" + f.name() + ")")
                            .containsExactly("month(ingested_at_month)");
                    return null;
                });
    }

    @Test
    void anExistingScoresTableGetsThePerClassProbabilitiesColumn() {
        CatalogSettings settings = CatalogSettings.localSqlite(tmp, "personalize");
        settings.withCatalog(
                catalog -> {
                    Schema declared = Tables.SCORES.schema();
                    Schema before =
                            new Schema(
                                    declared.columns().stream()
                                            .filter(c -> !c.name().equals("probabilities"))
                                            .toList());
                    ((org.apache.iceberg.catalog.SupportsNamespaces) catalog)
                            .createNamespace(settings.icebergNamespace());
                    catalog.buildTable(
                                    Tables.SCORES.identifier(settings.icebergNamespace()), before)
                            .withPartitionSpec(
                                    PartitionSpec.builderFor(before).month("as_of").build())
                            .create();

                    Table migrated =
                            new TableManager(catalog, settings.icebergNamespace())
                                    .ensure(java.util.List.of(Tables.SCORES))
                                    .get("scores");

                    Types.NestedField column = migrated.schema().findField("probabilities");
                    assertThat(column).isNotNull();
                    assertThat(column.isOptional()).isTrue();
                    assertThat(column.type().asMapType().keyType())
                            .isEqualTo(Types.StringType.get());
                    assertThat(column.type().asMapType().valueType())
                            .isEqualTo(Types.DoubleType.get());
                    return null;
                });
    }

    @Test
    void theFeatureTablesHaveAColumnForEveryRegistryFeature() {
        assertThat(FeatureRows.ROW_TYPE.getFieldCount())
                .isEqualTo(
                        Tables.FEATURE_KEY_COLUMNS
                                + FeatureRegistry.standard().all().size()
                                + Tables.FEATURE_TRAILING_COLUMNS);
    }

    @Test
    void aFeatureTableOfAnEarlierVersionGetsTheDeclaredFeatureColumnsOnStart() {
        CatalogSettings settings = CatalogSettings.localSqlite(tmp, "personalize");
        settings.withCatalog(
                catalog -> {
                    Schema current = Tables.CUSTOMER_FEATURES.schema();
                    Schema old =
                            new Schema(
                                    current.columns().stream()
                                            .filter(c -> !c.name().startsWith("declared_"))
                                            .toList(),
                                    current.identifierFieldIds());
                    ((org.apache.iceberg.catalog.SupportsNamespaces) catalog)
                            .createNamespace(settings.icebergNamespace());
                    catalog.createTable(
                            Tables.CUSTOMER_FEATURES.identifier(settings.icebergNamespace()), old);

                    Table migrated =
                            new TableManager(catalog, settings.icebergNamespace())
                                    .ensure(java.util.List.of(Tables.CUSTOMER_FEATURES))
                                    .get("customer_features");

                    assertThat(migrated.schema().columns())
                            .extracting(Types.NestedField::name)
                            .contains(
                                    "declared_numbers",
                                    "declared_strings",
                                    "declared_booleans",
                                    "declared_string_lists",
                                    "declared_times");
                    assertThat(migrated.schema().findType("declared_numbers").toString())
                            .isEqualTo("map<string, double>");
                    return null;
                });
    }

    private static void createOldTable(Catalog catalog, Namespace namespace, Schema schema) {
        ((org.apache.iceberg.catalog.SupportsNamespaces) catalog).createNamespace(namespace);
        catalog.buildTable(Tables.DEAD_LETTERS.identifier(namespace), schema)
                .withPartitionSpec(PartitionSpec.unpartitioned())
                .withSortOrder(SortOrder.unsorted())
                .create();
    }
}
