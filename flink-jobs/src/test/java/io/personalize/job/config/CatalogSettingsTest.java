package io.personalize.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableManager;
import io.personalize.tables.Tables;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line says of the catalog reaches Iceberg: any property under {@code
 * personalize.catalog.properties.} goes to the catalog and its file IO, a custom catalog class is
 * loaded by name, and a catalog whose classes are missing is refused at start with what to add.
 */
class CatalogSettingsTest {
    @TempDir Path tmp;

    @Test
    void catalogPropertiesReachTheCatalogAndTheFileIoOfItsTables() {
        Configuration conf =
                conf(
                        "personalize.catalog.properties.s3.path-style-access=true",
                        "personalize.catalog.properties.client.region=eu-west-1");
        CatalogSettings settings = JobSettings.catalog(conf, tmp.resolve("warehouse"));
        Catalog catalog = settings.catalogLoader().loadCatalog();
        Table events =
                new TableManager(catalog, settings.icebergNamespace())
                        .ensure(List.of(Tables.EVENTS))
                        .get(Tables.EVENTS.name());
        assertThat(events.io().properties())
                .containsEntry("s3.path-style-access", "true")
                .containsEntry("client.region", "eu-west-1");
    }

    @Test
    void aCustomCatalogClassIsLoadedByNameAndHoldsTheTables() {
        Configuration conf =
                conf(
                        "personalize.catalog.type=custom",
                        "personalize.catalog.properties.catalog-impl="
                                + InMemoryCatalog.class.getName());
        CatalogSettings settings = JobSettings.catalog(conf, null);
        Catalog catalog = settings.catalogLoader().loadCatalog();
        assertThat(catalog).isInstanceOf(InMemoryCatalog.class);
        new TableManager(catalog, settings.icebergNamespace()).ensure(List.of(Tables.EVENTS));
        assertThat(catalog.tableExists(Tables.EVENTS.identifier(settings.icebergNamespace())))
                .isTrue();
    }

    @Test
    void aCatalogWhoseClassesAreMissingIsRefusedWithWhatToAdd() {
        assertThatThrownBy(
                        () ->
                                JobSettings.catalog(
                                        conf(
                                                "personalize.catalog.type=glue",
                                                "personalize.catalog.warehouse=s3://bucket/wh"),
                                        null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("iceberg-aws-bundle");
        assertThatThrownBy(
                        () ->
                                JobSettings.catalog(
                                        conf(
                                                "personalize.catalog.type=custom",
                                                "personalize.catalog.properties.catalog-impl="
                                                        + "com.example.NoSuchCatalog"),
                                        null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("com.example.NoSuchCatalog");
        assertThatThrownBy(() -> JobSettings.catalog(conf("personalize.catalog.type=custom"), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.catalog.properties.catalog-impl");
        assertThatThrownBy(() -> JobSettings.catalog(conf("personalize.catalog.type=hive"), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jdbc, rest, hadoop, glue, nessie or custom");
    }

    private static Configuration conf(String... sets) {
        return ConfigLoader.load(null, Map.of(), List.of(sets));
    }
}
