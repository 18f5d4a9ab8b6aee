package io.personalize.tables;

import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One table, declared once: its name, schema (explicit field ids, required or optional), partition
 * spec, sort order and properties side by side.
 */
public record TableDefinition(
        String name,
        Schema schema,
        PartitionSpec partitionSpec,
        SortOrder sortOrder,
        Map<String, String> properties) {

    /** The table's identifier in the given namespace. */
    public TableIdentifier identifier(Namespace namespace) {
        return TableIdentifier.of(namespace, name);
    }
}
