package io.personalize.tables;

import java.util.Map;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableProperties;
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

    /** How rows are distributed to the writers ({@code write.distribution-mode}; none if unset). */
    public DistributionMode distributionMode() {
        return DistributionMode.fromName(
                properties.getOrDefault(
                        TableProperties.WRITE_DISTRIBUTION_MODE,
                        TableProperties.WRITE_DISTRIBUTION_MODE_NONE));
    }

    /** The table's identifier in the given namespace. */
    public TableIdentifier identifier(Namespace namespace) {
        return TableIdentifier.of(namespace, name);
    }
}
