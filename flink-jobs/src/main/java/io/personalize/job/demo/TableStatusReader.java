package io.personalize.job.demo;

import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/** Reads row counts and dead-letter reasons back from the tables, as an analyst would see them. */
final class TableStatusReader {
    private TableStatusReader() {}

    static Map<String, DemoSummary.TableStatus> read(CatalogSettings settings) {
        return settings.withCatalog(catalog -> read(catalog, settings));
    }

    private static Map<String, DemoSummary.TableStatus> read(
            Catalog catalog, CatalogSettings settings) {
        Map<String, DemoSummary.TableStatus> tables = new LinkedHashMap<>();
        for (TableDefinition definition : Tables.all()) {
            Table table = catalog.loadTable(definition.identifier(settings.icebergNamespace()));
            String metadata =
                    table instanceof HasTableOperations ops
                            ? ops.operations().current().metadataFileLocation()
                            : null;
            tables.put(
                    definition.name(),
                    new DemoSummary.TableStatus(TableReader.rowCount(table), metadata));
        }
        return tables;
    }

    static Map<String, Long> deadLettersByReason(CatalogSettings settings) {
        return settings.withCatalog(
                catalog ->
                        TableReader.countBy(
                                catalog.loadTable(
                                        Tables.DEAD_LETTERS.identifier(
                                                settings.icebergNamespace())),
                                "reason"));
    }
}
