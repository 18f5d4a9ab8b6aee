package io.personalize.tables;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdatePartitionSpec;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Term;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the namespace and the tables when missing, and brings existing tables up to their
 * declaration (new columns added by name, the partitioning evolved, properties set). Safe to run at
 * every start.
 */
public final class TableManager {
    private static final Logger LOG = LoggerFactory.getLogger(TableManager.class);

    private final Catalog catalog;
    private final Namespace namespace;

    public TableManager(Catalog catalog, Namespace namespace) {
        this.catalog = catalog;
        this.namespace = namespace;
    }

    /** Creates or migrates every table in {@code tables}; returns them loaded. */
    public Map<String, Table> ensure(List<TableDefinition> tables) {
        ensureNamespace();
        Map<String, Table> loaded = new HashMap<>();
        for (TableDefinition definition : tables) {
            loaded.put(definition.name(), ensure(definition));
        }
        return loaded;
    }

    private void ensureNamespace() {
        if (catalog instanceof SupportsNamespaces namespaces
                && !namespace.isEmpty()
                && !namespaces.namespaceExists(namespace)) {
            try {
                namespaces.createNamespace(namespace);
                LOG.info("Created namespace {}", namespace);
            } catch (AlreadyExistsException e) {
                LOG.debug("Namespace {} was created concurrently", namespace);
            }
        }
    }

    private Table ensure(TableDefinition definition) {
        var identifier = definition.identifier(namespace);
        if (!catalog.tableExists(identifier)) {
            try {
                Table created =
                        catalog.buildTable(identifier, definition.schema())
                                .withPartitionSpec(definition.partitionSpec())
                                .withSortOrder(definition.sortOrder())
                                .withProperties(definition.properties())
                                .create();
                LOG.info("Created table {}", identifier);
                return created;
            } catch (AlreadyExistsException e) {
                LOG.debug("Table {} was created concurrently", identifier);
            }
        }
        Table table = catalog.loadTable(identifier);
        migrate(table, definition);
        return table;
    }

    private static void migrate(Table table, TableDefinition definition) {
        if (!table.schema().sameSchema(definition.schema())) {
            table.updateSchema().unionByNameWith(definition.schema()).commit();
            LOG.info("Added new columns to {}", table.name());
        }
        if (!samePartitioning(table.spec(), definition.partitionSpec())) {
            // partition evolution: files written so far keep their layout, new ones take this one
            UpdatePartitionSpec spec = table.updateSpec();
            for (PartitionField field : table.spec().fields()) {
                spec.removeField(field.name());
            }
            for (PartitionField field : definition.partitionSpec().fields()) {
                spec.addField(
                        field.name(),
                        term(
                                field.transform().toString(),
                                definition.schema().findColumnName(field.sourceId())));
            }
            spec.commit();
            LOG.info("Partitioned {} by {} from now on", table.name(), table.spec().fields());
        }
        UpdateProperties update = table.updateProperties();
        boolean changed = false;
        for (Map.Entry<String, String> property : definition.properties().entrySet()) {
            if (!property.getValue().equals(table.properties().get(property.getKey()))
                    && !property.getKey().equals("format-version")) {
                update.set(property.getKey(), property.getValue());
                changed = true;
            }
        }
        if (changed) {
            update.commit();
        }
    }

    private static boolean samePartitioning(PartitionSpec current, PartitionSpec declared) {
        if (current.fields().size() != declared.fields().size()) {
            return false;
        }
        for (int i = 0; i < current.fields().size(); i++) {
            PartitionField a = current.fields().get(i);
            PartitionField b = declared.fields().get(i);
            if (a.sourceId() != b.sourceId() || !a.transform().equals(b.transform())) {
                return false;
            }
        }
        return true;
    }

    /** The partition term of a declared field; the tables declare only these transforms. */
    private static Term term(String transform, String column) {
        return switch (transform) {
            case "identity" -> Expressions.ref(column);
            case "year" -> Expressions.year(column);
            case "month" -> Expressions.month(column);
            case "day" -> Expressions.day(column);
            case "hour" -> Expressions.hour(column);
            default ->
                    throw new IllegalArgumentException(
                            "Cannot evolve to partition transform " + transform);
        };
    }
}
