package io.personalize.tables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;

/**
 * Brings the job's tables in line with the Flink state a run starts from, so that what the run
 * commits lands exactly once:
 *
 * <ul>
 *   <li>a run that resumes from checkpoint {@code N} needs the tables as they were when {@code N}
 *       was committed: {@link #rollBackAfter} removes the commits of later checkpoints (left by a
 *       run that went further before it was stopped, or when an older checkpoint is chosen);
 *   <li>a run without any state must not write into tables that already hold the job's rows: {@link
 *       #rowsHeld} says what is there, {@link #dropAll} drops it when told to.
 * </ul>
 *
 * <p>Iceberg's Flink sink writes the checkpoint id of each commit into the snapshot summary
 * ({@value #CHECKPOINT_ID}); that is what the rollback reads. Without the rollback a restart from
 * an older checkpoint would append the re-processed rows a second time, and a restart without state
 * into tables with a higher committed checkpoint id for the same job id would have its commits
 * dropped (Iceberg issue 18098).
 *
 * <pre>{@code
 * catalogSettings.withCatalog(c -> new TableRecovery(c, namespace).rollBackAfter(12, Tables.all()));
 * }</pre>
 */
public final class TableRecovery {
    /** Snapshot summary key Iceberg's Flink committer writes with each commit. */
    public static final String CHECKPOINT_ID = "flink.max-committed-checkpoint-id";

    private final Catalog catalog;
    private final Namespace namespace;

    public TableRecovery(Catalog catalog, Namespace namespace) {
        this.catalog = catalog;
        this.namespace = namespace;
    }

    /**
     * What a rollback did to a table: the newest checkpoint it held commits of, the checkpoint of
     * the commit it now stands at (-1 when that commit was not Flink's, or when emptied), the
     * commits removed, and whether none was left (emptied).
     */
    public record Rollback(
            String table, long fromCheckpoint, long toCheckpoint, int removed, boolean emptied) {}

    /**
     * Rows in each existing table of {@code tables} (current snapshot's {@code total-records}),
     * only the tables that hold any.
     */
    public Map<String, Long> rowsHeld(List<TableDefinition> tables) {
        Map<String, Long> held = new LinkedHashMap<>();
        for (TableDefinition definition : tables) {
            TableIdentifier id = definition.identifier(namespace);
            if (!catalog.tableExists(id)) {
                continue;
            }
            Snapshot current = catalog.loadTable(id).currentSnapshot();
            long rows = current == null ? 0 : totalRecords(current);
            if (rows > 0) {
                held.put(definition.name(), rows);
            }
        }
        return held;
    }

    /**
     * Removes from every table the commits of checkpoints after {@code checkpointId}: the current
     * snapshot becomes the newest one whose commits all belong to {@code checkpointId} or earlier.
     * A table none of whose commits is that old is emptied.
     *
     * @return the tables that changed
     */
    public List<Rollback> rollBackAfter(long checkpointId, List<TableDefinition> tables) {
        List<Rollback> changed = new ArrayList<>();
        for (TableDefinition definition : tables) {
            TableIdentifier id = definition.identifier(namespace);
            if (catalog.tableExists(id)) {
                Rollback rollback =
                        rollBack(definition.name(), catalog.loadTable(id), checkpointId);
                if (rollback != null) {
                    changed.add(rollback);
                }
            }
        }
        return changed;
    }

    /** Drops and purges the tables (they are created again when a run starts). */
    public List<String> dropAll(List<TableDefinition> tables) {
        List<String> dropped = new ArrayList<>();
        for (TableDefinition definition : tables) {
            if (catalog.dropTable(definition.identifier(namespace), true)) {
                dropped.add(definition.name());
            }
        }
        return dropped;
    }

    private static Rollback rollBack(String name, Table table, long checkpointId) {
        // The oldest commit of a later checkpoint: it and everything after it goes.
        Snapshot oldestLater = null;
        int total = 0;
        int kept = 0;
        long newestCommitted = -1;
        for (Snapshot s = table.currentSnapshot(); s != null; s = parent(table, s)) {
            long committed = committedCheckpoint(s);
            newestCommitted = Math.max(newestCommitted, committed);
            total++;
            kept++;
            if (committed > checkpointId) {
                oldestLater = s;
                kept = 0;
            }
        }
        if (oldestLater == null) {
            return null;
        }
        Snapshot keep = parent(table, oldestLater);
        if (keep != null) {
            table.manageSnapshots().rollbackTo(keep.snapshotId()).commit();
        } else {
            table.newDelete().deleteFromRowFilter(Expressions.alwaysTrue()).commit();
        }
        return new Rollback(
                name,
                newestCommitted,
                keep == null ? -1 : committedCheckpoint(keep),
                total - kept,
                keep == null);
    }

    private static Snapshot parent(Table table, Snapshot snapshot) {
        Long parentId = snapshot.parentId();
        return parentId == null ? null : table.snapshot(parentId);
    }

    /** The checkpoint id a snapshot's commit belongs to, or -1 for one not written by Flink. */
    private static long committedCheckpoint(Snapshot snapshot) {
        String value = snapshot.summary().get(CHECKPOINT_ID);
        return value == null ? -1 : Long.parseLong(value);
    }

    private static long totalRecords(Snapshot snapshot) {
        String value = snapshot.summary().get("total-records");
        return value == null ? 0 : Long.parseLong(value);
    }
}
