package io.personalize.tables;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.maintenance.api.JdbcLockFactory;
import org.apache.iceberg.flink.maintenance.api.TriggerLockFactory;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tables in shape, one table at a time: compacts small data files and the deletes that
 * apply to them ({@link DataFileCompaction}), expires snapshots older than the retention (keeping
 * the newest few, and the job's last commit while a job may still write), and deletes orphan files.
 * No row changes. Safe beside running writers: every commit is validated against what was written
 * meanwhile, and a conflicting compaction is dropped, not forced.
 *
 * <p>Two maintenance runs on one table would compete for the same files; with a JDBC catalog each
 * table is locked with Iceberg's {@link JdbcLockFactory} (table {@code flink_maintenance_lock} in
 * the catalog's database), and a locked table is skipped. A run killed in between leaves its lock:
 * {@link #unlock} removes it.
 *
 * <pre>{@code
 * List<TableMaintainer.Report> reports =
 *         catalogSettings.withCatalog(c -> new TableMaintainer(c, catalogSettings, settings)
 *                 .maintain(Tables.all()));
 * }</pre>
 */
public final class TableMaintainer {
    private static final Logger LOG = LoggerFactory.getLogger(TableMaintainer.class);

    /** Snapshot summary keys Iceberg's Flink committer reads back on restore. */
    private static final String FLINK_SUMMARY_PREFIX = "flink.";

    private final Catalog catalog;
    private final Namespace namespace;
    private final CatalogSettings catalogSettings;
    private final MaintenanceSettings settings;
    private final Clock clock;

    public TableMaintainer(
            Catalog catalog, CatalogSettings catalogSettings, MaintenanceSettings settings) {
        this(catalog, catalogSettings, settings, Clock.systemUTC());
    }

    TableMaintainer(
            Catalog catalog,
            CatalogSettings catalogSettings,
            MaintenanceSettings settings,
            Clock clock) {
        this.catalog = catalog;
        this.namespace = catalogSettings.icebergNamespace();
        this.catalogSettings = catalogSettings;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * What maintenance did to one table: data files compacted and written, delete files dropped,
     * snapshots expired, orphan files deleted (-1: the file IO cannot list), and whether the table
     * was skipped because another run held its lock.
     */
    public record Report(
            String table,
            int rewrittenFiles,
            int addedFiles,
            int removedDeleteFiles,
            int expiredSnapshots,
            int orphanFiles,
            boolean locked) {}

    /** Maintains every existing table of {@code tables}. */
    public List<Report> maintain(List<TableDefinition> tables) {
        List<Report> reports = new ArrayList<>();
        for (TableDefinition definition : tables) {
            TableIdentifier id = definition.identifier(namespace);
            if (catalog.tableExists(id)) {
                reports.add(maintainLocked(definition.name(), catalog.loadTable(id)));
            }
        }
        return reports;
    }

    /** Removes the maintenance locks of {@code tables}, left by a run that was killed. */
    public void unlock(List<TableDefinition> tables) {
        for (TableDefinition definition : tables) {
            try (TriggerLockFactory locks = lockFactory(definition.name())) {
                if (locks != null) {
                    locks.open();
                    locks.createLock().unlock();
                }
            } catch (IOException e) {
                LOG.warn("Could not close the lock of {}", definition.name(), e);
            }
        }
    }

    private Report maintainLocked(String name, Table table) {
        try (TriggerLockFactory locks = lockFactory(name)) {
            if (locks == null) {
                return maintain(name, table);
            }
            locks.open();
            TriggerLockFactory.Lock lock = locks.createLock();
            if (!lock.tryLock()) {
                LOG.warn("Maintenance of {} is running elsewhere (locked): skipped", name);
                return new Report(name, 0, 0, 0, 0, 0, true);
            }
            try {
                return maintain(name, table);
            } finally {
                lock.unlock();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Report maintain(String name, Table table) {
        Map<String, String> summary = carriedSummary(table);
        DataFileCompaction.Result compaction =
                DataFileCompaction.compact(table, settings.minInputFiles(), summary);
        int expired = expireSnapshots(table, summary);
        long now = clock.millis();
        int orphans = OrphanFiles.delete(table, now - settings.orphanFileAge().toMillis());
        Report report =
                new Report(
                        name,
                        compaction.rewrittenFiles(),
                        compaction.addedFiles(),
                        compaction.removedDeleteFiles(),
                        expired,
                        orphans,
                        false);
        LOG.info("Maintained {}: {}", name, report);
        return report;
    }

    /**
     * With the writers stopped, maintenance commits carry the job's last committed checkpoint
     * ({@code flink.*} of the newest snapshot the job committed), so a restore and {@link
     * TableRecovery} still find it on the newest snapshot. While a job may write, they carry none:
     * a stale checkpoint id on top would make a restored job commit a checkpoint again.
     */
    private Map<String, String> carriedSummary(Table table) {
        Map<String, String> summary = new HashMap<>();
        Snapshot jobCommit = settings.writersStopped() ? newestJobCommit(table) : null;
        if (jobCommit != null) {
            jobCommit.summary().entrySet().stream()
                    .filter(e -> e.getKey().startsWith(FLINK_SUMMARY_PREFIX))
                    .forEach(e -> summary.put(e.getKey(), e.getValue()));
        }
        return summary;
    }

    /** The newest snapshot of the current history that a Flink job committed, or null. */
    private static Snapshot newestJobCommit(Table table) {
        if (table.currentSnapshot() == null) {
            return null;
        }
        for (Snapshot s : SnapshotUtil.currentAncestors(table)) {
            if (s.summary().containsKey(TableRecovery.CHECKPOINT_ID)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Expires the snapshots older than the retention, keeping the newest {@code minSnapshots} and,
     * unless the writers are stopped, the job's newest commit and everything after it (a restored
     * job reads its last committed checkpoint from there). Files only expired snapshots referenced
     * are deleted.
     */
    private int expireSnapshots(Table table, Map<String, String> summary) {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return 0;
        }
        if (settings.writersStopped()
                && current.summary().containsKey(DataFileCompaction.OPERATION)) {
            // Iceberg deletes the files a commit replaced when that commit expires: with no writer
            // to commit after the compaction, one more (empty) commit lets it expire now.
            AppendFiles after = table.newAppend();
            summary.forEach(after::set);
            after.set(DataFileCompaction.OPERATION, "maintenance-expiry").commit();
            table.refresh();
        }
        long olderThan = clock.millis() - settings.snapshotRetention().toMillis();
        Snapshot jobCommit = settings.writersStopped() ? null : newestJobCommit(table);
        if (jobCommit != null) {
            olderThan = Math.min(olderThan, jobCommit.timestampMillis());
        }
        int before = size(table.snapshots());
        table.expireSnapshots()
                .expireOlderThan(olderThan)
                .retainLast(settings.minSnapshots())
                .cleanExpiredFiles(true)
                .commit();
        table.refresh();
        return before - size(table.snapshots());
    }

    /** Iceberg's JDBC lock on the catalog's database, or null for other catalogs. */
    private TriggerLockFactory lockFactory(String tableName) {
        if (catalogSettings.type() != CatalogType.JDBC || catalogSettings.uri() == null) {
            return null;
        }
        Map<String, String> properties = new HashMap<>();
        catalogSettings.extraProperties().entrySet().stream()
                .filter(e -> e.getKey().startsWith("jdbc."))
                .forEach(e -> properties.put(e.getKey(), e.getValue()));
        putFromEnvironment(properties, "jdbc.user", CatalogSettings.JDBC_USER_ENV);
        putFromEnvironment(properties, "jdbc.password", CatalogSettings.JDBC_PASSWORD_ENV);
        if (catalogSettings.uri().startsWith("jdbc:sqlite:")) {
            properties.putIfAbsent("jdbc.busy_timeout", "30000");
        }
        properties.put(JdbcLockFactory.INIT_LOCK_TABLES_PROPERTY, "true");
        return new JdbcLockFactory(catalogSettings.uri(), lockId(namespace, tableName), properties);
    }

    /** The id of a table's maintenance lock in {@code flink_maintenance_lock}. */
    public static String lockId(Namespace namespace, String tableName) {
        return "personalize-maintain:" + namespace + "." + tableName;
    }

    private static void putFromEnvironment(
            Map<String, String> properties, String key, String variable) {
        String value = System.getenv(variable);
        if (value != null && !value.isBlank()) {
            properties.put(key, value);
        }
    }

    private static int size(Iterable<?> items) {
        int n = 0;
        for (Object ignored : items) {
            n++;
        }
        return n;
    }
}
