package io.personalize.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * Forgets a customer in the job's tables: every row that names one of the customer's keys or ids is
 * removed from the current snapshot by rewriting the data files that hold such rows (the other rows
 * of those files, with the table's delete files applied, go to new files), and every snapshot older
 * than the erasure is expired, so that time travel cannot bring the rows back and the old files are
 * deleted.
 *
 * <p>A row is the customer's when its {@code customer_key} is one of {@link Subject#keys}, its
 * {@code customer_id} one of {@link Subject#customerIds} (the id, and its hash where a table keeps
 * ids hashed), or its {@code anonymous_id} one of {@link Subject#anonymousIds} (the ids linked to
 * the customer): whichever of these columns a table has.
 *
 * <p>The rewrite keeps the Flink committer's snapshot summary ({@code flink.*}), so a resumed job
 * and {@link TableRecovery} still find the last committed checkpoint. Run it on a stopped
 * warehouse: a job committing at the same time fails the rewrite's validation, and nothing is lost.
 *
 * <pre>{@code
 * Map<String, Long> removed = new CustomerErasure(catalog, namespace).erase(subject, Tables.all());
 * }</pre>
 */
public final class CustomerErasure {
    private static final String FLINK_SUMMARY_PREFIX = "flink.";

    private final Catalog catalog;
    private final Namespace namespace;

    public CustomerErasure(Catalog catalog, Namespace namespace) {
        this.catalog = catalog;
        this.namespace = namespace;
    }

    /**
     * Whom to forget.
     *
     * @param keys customer keys ({@code c:<id>}, {@code a:<anonymous id>})
     * @param customerIds values of {@code customer_id} columns
     * @param anonymousIds values of {@code anonymous_id} columns
     */
    public record Subject(Set<String> keys, Set<String> customerIds, Set<String> anonymousIds) {
        public Subject {
            keys = Set.copyOf(keys);
            customerIds = Set.copyOf(customerIds);
            anonymousIds = Set.copyOf(anonymousIds);
        }
    }

    /**
     * The anonymous ids linked to {@code customerId}: in {@code identity_links}, and in {@code
     * events} rows that carry both ids; sorted.
     */
    public Set<String> linkedAnonymousIds(String customerId) {
        Set<String> linked = new java.util.TreeSet<>();
        for (TableDefinition table : List.of(Tables.IDENTITY_LINKS, Tables.EVENTS)) {
            TableIdentifier id = table.identifier(namespace);
            if (!catalog.tableExists(id)) {
                continue;
            }
            try (CloseableIterable<Record> rows =
                    org.apache.iceberg.data.IcebergGenerics.read(catalog.loadTable(id))
                            .select("customer_id", "anonymous_id")
                            .where(
                                    Expressions.and(
                                            Expressions.equal("customer_id", customerId),
                                            Expressions.notNull("anonymous_id")))
                            .build()) {
                for (Record row : rows) {
                    if (customerId.equals(row.getField("customer_id"))) {
                        linked.add((String) row.getField("anonymous_id"));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return linked;
    }

    /**
     * Removes the subject's rows from each existing table of {@code tables} and expires the
     * snapshots before the removal; returns the rows removed per table (tables without any too).
     */
    public Map<String, Long> erase(Subject subject, List<TableDefinition> tables) {
        Map<String, Long> removed = new LinkedHashMap<>();
        for (TableDefinition definition : tables) {
            TableIdentifier id = definition.identifier(namespace);
            if (!catalog.tableExists(id)) {
                continue;
            }
            Table table = catalog.loadTable(id);
            removed.put(definition.name(), erase(table, subject));
        }
        return removed;
    }

    /** The subject's rows of one table: removed, and the snapshots before expired. */
    static long erase(Table table, Subject subject) {
        Snapshot current = table.currentSnapshot();
        Rewrite rewrite = rewrite(table, subject, false);
        if (rewrite.snapshotId() != null) {
            // Iceberg deletes a replaced file when the snapshot that replaced it expires: one more
            // (empty) commit, so that the rewrite's snapshot can expire too.
            AppendFiles after = table.newAppend();
            current.summary().entrySet().stream()
                    .filter(e -> e.getKey().startsWith(FLINK_SUMMARY_PREFIX))
                    .forEach(e -> after.set(e.getKey(), e.getValue()));
            after.set("personalize.operation", "erasure-expiry").commit();
        }
        table.refresh();
        if (table.currentSnapshot() != null) {
            long now = table.currentSnapshot().timestampMillis() + 1;
            table.expireSnapshots()
                    .expireOlderThan(now)
                    .retainLast(1)
                    .cleanExpiredFiles(true)
                    .commit();
        }
        return rewrite.removedRows();
    }

    /**
     * What a rewrite did to one table: the subject's live rows it removed, and its snapshot (null
     * when no file held a row of the subject).
     */
    public record Rewrite(long removedRows, Long snapshotId) {}

    /**
     * Removes the subject's rows from one table while the job writes to it: the files that hold
     * them are rewritten at the data sequence number of the snapshot they were read from (so the
     * job's later equality deletes still apply to the rows kept, and do not conflict), retried on a
     * conflicting commit. No snapshot is expired: the older snapshots go with {@link
     * #expireThrough} once the job committed after the rewrite (the committer finds its last
     * checkpoint in its own snapshots, which must not all expire).
     */
    public Rewrite rewriteLive(TableDefinition definition, Subject subject) {
        TableIdentifier id = definition.identifier(namespace);
        if (!catalog.tableExists(id)) {
            return new Rewrite(0, null);
        }
        Table table = catalog.loadTable(id);
        RuntimeException last = null;
        for (int attempt = 0; attempt < 8; attempt++) {
            try {
                table.refresh();
                return rewrite(table, subject, true);
            } catch (org.apache.iceberg.exceptions.ValidationException
                    | org.apache.iceberg.exceptions.CommitFailedException e) {
                last = e; // the job committed in between: read again
            }
        }
        throw last;
    }

    /**
     * Expires every snapshot up to the erasure's rewrite ({@code rewriteSnapshotId}) of one table,
     * deleting the files only they held, once the job committed after the rewrite; returns whether
     * that was done (false: try again after a later checkpoint).
     */
    public boolean expireThrough(TableDefinition definition, long rewriteSnapshotId) {
        TableIdentifier id = definition.identifier(namespace);
        if (!catalog.tableExists(id)) {
            return true;
        }
        Table table = catalog.loadTable(id);
        Snapshot rewrite = table.snapshot(rewriteSnapshotId);
        if (rewrite == null) {
            return true; // expired already
        }
        boolean committedAfter = false;
        for (Snapshot s = table.currentSnapshot();
                s != null && s.snapshotId() != rewriteSnapshotId;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (s.summary().containsKey(FLINK_SUMMARY_PREFIX + "job-id")) {
                committedAfter = true;
                break;
            }
        }
        if (!committedAfter) {
            return false;
        }
        table.expireSnapshots()
                .expireOlderThan(rewrite.timestampMillis() + 1)
                .cleanExpiredFiles(true)
                .commit();
        return true;
    }

    /** How many live rows of the subject a table's current snapshot holds. */
    public long rowsOf(TableDefinition definition, Subject subject) {
        TableIdentifier id = definition.identifier(namespace);
        if (!catalog.tableExists(id)) {
            return 0;
        }
        Table table = catalog.loadTable(id);
        Expression rows = rowsOf(table.schema(), subject);
        if (rows == null || table.currentSnapshot() == null) {
            return 0;
        }
        // The files that may hold them (Iceberg's row filter does not take the nulls of IN).
        Schema schema = table.schema();
        long n = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(rows).planFiles()) {
            for (FileScanTask task : tasks) {
                try (CloseableIterable<Record> live = liveRows(table.io(), task, schema)) {
                    for (Record row : live) {
                        if (isSubject(copy(row, schema), subject)) {
                            n++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /**
     * Rewrites the files of the current snapshot that hold a row of the subject (live or deleted)
     * without the subject's rows, in one commit that keeps the Flink committer's summary ({@code
     * live}: at the read snapshot's data sequence number, without the summary).
     */
    private static Rewrite rewrite(Table table, Subject subject, boolean live) {
        Expression rows = rowsOf(table.schema(), subject);
        Snapshot current = table.currentSnapshot();
        if (rows == null || current == null) {
            return new Rewrite(0, null);
        }
        Map<String, FileScanTask> touched = new LinkedHashMap<>();
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().useSnapshot(current.snapshotId()).filter(rows).planFiles()) {
            for (FileScanTask task : tasks) {
                touched.putIfAbsent(task.file().location(), task);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long removedRows = 0;
        List<DataFile> replaced = new ArrayList<>();
        List<DataFile> written = new ArrayList<>();
        OutputFileFactory files =
                OutputFileFactory.builderFor(table, 1, System.currentTimeMillis())
                        .format(FileFormat.PARQUET)
                        .operationId("erasure-" + java.util.UUID.randomUUID())
                        .build();
        Predicate<Record> isSubject = row -> isSubject(row, subject);
        for (FileScanTask task : touched.values()) {
            Rewritten rewritten = rewrite(table, task, isSubject, files);
            if (rewritten == null) {
                continue;
            }
            removedRows += rewritten.removed();
            replaced.add(task.file());
            if (rewritten.file() != null) {
                written.add(rewritten.file());
            }
        }
        RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(current.snapshotId());
        boolean deletesChanged = rewriteEqualityDeletes(table, current, subject, files, rewrite);
        if (replaced.isEmpty() && !deletesChanged) {
            return new Rewrite(0, null);
        }
        replaced.forEach(rewrite::deleteFile);
        written.forEach(rewrite::addFile);
        if (live) {
            rewrite.dataSequenceNumber(current.sequenceNumber());
        } else {
            current.summary().entrySet().stream()
                    .filter(e -> e.getKey().startsWith(FLINK_SUMMARY_PREFIX))
                    .forEach(e -> rewrite.set(e.getKey(), e.getValue()));
        }
        String commitId = java.util.UUID.randomUUID().toString();
        rewrite.set("personalize.operation", "erasure");
        rewrite.set("personalize.erasure-commit", commitId);
        rewrite.commit();
        table.refresh();
        for (Snapshot s = table.currentSnapshot();
                s != null;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            if (commitId.equals(s.summary().get("personalize.erasure-commit"))) {
                return new Rewrite(removedRows, s.snapshotId());
            }
        }
        throw new IllegalStateException("the erasure's commit is not in " + table.name());
    }

    /**
     * The equality-delete files of the current snapshot (an upserted table's) that name a key of
     * the subject are replaced, in {@code rewrite}, by files without it, at their own data sequence
     * number (so they delete exactly what they deleted before); a file left empty goes. Deleting
     * the subject's keys no longer deletes anything: their rows are gone from every data file.
     * Returns whether any file changed.
     */
    private static boolean rewriteEqualityDeletes(
            Table table,
            Snapshot current,
            Subject subject,
            OutputFileFactory files,
            RewriteFiles rewrite) {
        Types.NestedField keyField = table.schema().findField("customer_key");
        if (keyField == null || subject.keys().isEmpty()) {
            return false;
        }
        List<DeleteFile> candidates = new ArrayList<>();
        for (ManifestFile manifest : current.deleteManifests(table.io())) {
            try (ManifestReader<DeleteFile> reader =
                    ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                for (DeleteFile file : reader) {
                    if (file.content() == FileContent.EQUALITY_DELETES
                            && file.equalityFieldIds().contains(keyField.fieldId())
                            && mayHold(file, keyField.fieldId(), subject.keys())) {
                        candidates.add(file.copy());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        boolean changed = false;
        for (DeleteFile file : candidates) {
            Schema deleteSchema =
                    TypeUtil.select(
                            table.schema(), new java.util.HashSet<>(file.equalityFieldIds()));
            List<Record> kept = new ArrayList<>();
            boolean holds = false;
            try (CloseableIterable<Record> rows =
                    Parquet.read(table.io().newInputFile(file.location()))
                            .project(deleteSchema)
                            .createReaderFunc(
                                    fileSchema ->
                                            GenericParquetReaders.buildReader(
                                                    deleteSchema, fileSchema))
                            .build()) {
                for (Record row : rows) {
                    if (subject.keys().contains((String) row.getField(keyField.name()))) {
                        holds = true;
                    } else {
                        kept.add(row.copy());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!holds) {
                continue;
            }
            changed = true;
            rewrite.deleteFile(file);
            if (kept.isEmpty()) {
                continue;
            }
            org.apache.iceberg.PartitionSpec spec = table.specs().get(file.specId());
            StructLike partition = file.partition();
            EncryptedOutputFile out = files.newOutputFile(spec, partition);
            int[] ids = file.equalityFieldIds().stream().mapToInt(Integer::intValue).toArray();
            EqualityDeleteWriter<Record> writer =
                    new GenericAppenderFactory(table.schema(), spec, ids, deleteSchema, null)
                            .newEqDeleteWriter(out, FileFormat.PARQUET, partition);
            try (writer) {
                kept.forEach(writer::write);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rewrite.addFile(writer.toDeleteFile(), file.dataSequenceNumber());
        }
        return changed;
    }

    /** Whether the file's bounds of the key column admit one of {@code keys}. */
    private static boolean mayHold(DeleteFile file, int keyFieldId, Set<String> keys) {
        java.nio.ByteBuffer lower =
                file.lowerBounds() == null ? null : file.lowerBounds().get(keyFieldId);
        java.nio.ByteBuffer upper =
                file.upperBounds() == null ? null : file.upperBounds().get(keyFieldId);
        if (lower == null || upper == null) {
            return true;
        }
        CharSequence min = Conversions.fromByteBuffer(Types.StringType.get(), lower);
        CharSequence max = Conversions.fromByteBuffer(Types.StringType.get(), upper);
        java.util.Comparator<CharSequence> order = Comparators.charSequences();
        for (String key : keys) {
            if (order.compare(min, key) <= 0 && order.compare(key, max) <= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Appends the audit row of an erasure to the {@code erasures} table (created when missing): the
     * subject as a salted hash, never the id.
     */
    public void record(ErasureTable.Audit audit) {
        Table table =
                new TableManager(catalog, namespace)
                        .ensure(List.of(ErasureTable.ERASURES))
                        .get(ErasureTable.ERASURES.name());
        Record row = ErasureTable.row(audit);
        OutputFileFactory files =
                OutputFileFactory.builderFor(table, 1, System.currentTimeMillis())
                        .format(FileFormat.PARQUET)
                        .operationId("erasure-audit")
                        .build();
        StructLike partition = null; // unpartitioned
        EncryptedOutputFile out = files.newOutputFile(table.spec(), partition);
        DataWriter<Record> writer =
                new GenericAppenderFactory(table.schema(), table.spec())
                        .newDataWriter(out, FileFormat.PARQUET, partition);
        try (writer) {
            writer.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        table.newAppend().appendFile(writer.toDataFile()).commit();
    }

    private record Rewritten(long removed, DataFile file) {}

    /**
     * The task's file again without the subject: {@code null} when the file holds no row of the
     * subject at all (live or already deleted); else its live rows that are not the subject's, in a
     * new file ({@code file} null when none is left), and how many live rows of the subject it
     * held.
     */
    private static Rewritten rewrite(
            Table table, FileScanTask task, Predicate<Record> isSubject, OutputFileFactory files) {
        Schema schema = table.schema();
        FileIO io = table.io();
        // Rows an upsert already deleted are still in the file: it is rewritten if it holds any.
        boolean holdsSubject = false;
        try (CloseableIterable<Record> raw = read(io, task, schema)) {
            for (Record row : raw) {
                if (isSubject.test(copy(row, schema))) {
                    holdsSubject = true;
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!holdsSubject) {
            return null;
        }
        long removed = 0;
        List<Record> kept = new ArrayList<>();
        try (CloseableIterable<Record> live = liveRows(io, task, schema)) {
            for (Record row : live) {
                Record values = copy(row, schema);
                if (isSubject.test(values)) {
                    removed++;
                } else {
                    kept.add(values);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (kept.isEmpty()) {
            return new Rewritten(removed, null);
        }
        StructLike partition = task.file().partition();
        EncryptedOutputFile out = files.newOutputFile(task.spec(), partition);
        DataWriter<Record> writer =
                new GenericAppenderFactory(schema, task.spec())
                        .newDataWriter(out, FileFormat.PARQUET, partition);
        try (writer) {
            kept.forEach(writer::write);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rewritten(removed, writer.toDataFile());
    }

    /** The rows of the task's data file that its delete files leave (closing closes the file). */
    private static CloseableIterable<Record> liveRows(FileIO io, FileScanTask task, Schema schema) {
        GenericDeleteFilter deletes = new GenericDeleteFilter(io, task, schema, schema);
        return deletes.filter(read(io, task, deletes.requiredSchema()));
    }

    /** The rows physically in the task's data file, without applying deletes. */
    private static CloseableIterable<Record> read(FileIO io, FileScanTask task, Schema projection) {
        return Parquet.read(io.newInputFile(task.file().location()))
                .project(projection)
                .createReaderFunc(
                        fileSchema -> GenericParquetReaders.buildReader(projection, fileSchema))
                .build();
    }

    /** The row's values of the table's columns (the read may carry extra columns for deletes). */
    private static Record copy(Record row, Schema schema) {
        Record copy = org.apache.iceberg.data.GenericRecord.create(schema);
        for (Types.NestedField field : schema.columns()) {
            copy.setField(field.name(), row.getField(field.name()));
        }
        return copy;
    }

    /**
     * Rows that name the subject, in the columns the schema has; null when it has none. A row with
     * a linked anonymous id is the subject's unless it names another customer (a shared device).
     */
    static Expression rowsOf(Schema schema, Subject subject) {
        Expression rows = null;
        if (schema.findField("customer_key") != null && !subject.keys().isEmpty()) {
            rows = in("customer_key", subject.keys());
        }
        boolean hasCustomerId = schema.findField("customer_id") != null;
        if (hasCustomerId && !subject.customerIds().isEmpty()) {
            rows = or(rows, in("customer_id", subject.customerIds()));
        }
        if (schema.findField("anonymous_id") != null && !subject.anonymousIds().isEmpty()) {
            Expression anonymous = in("anonymous_id", subject.anonymousIds());
            if (hasCustomerId && !subject.customerIds().isEmpty()) {
                anonymous =
                        Expressions.and(
                                anonymous,
                                Expressions.or(
                                        Expressions.isNull("customer_id"),
                                        in("customer_id", subject.customerIds())));
            }
            rows = or(rows, anonymous);
        }
        return rows;
    }

    /**
     * What {@link #rowsOf} selects, for one row (Iceberg's evaluator does not take nulls in IN).
     */
    static boolean isSubject(Record row, Subject subject) {
        String key = column(row, "customer_key");
        String customerId = column(row, "customer_id");
        String anonymousId = column(row, "anonymous_id");
        if (key != null && subject.keys().contains(key)) {
            return true;
        }
        if (customerId != null && subject.customerIds().contains(customerId)) {
            return true;
        }
        return anonymousId != null
                && subject.anonymousIds().contains(anonymousId)
                && (customerId == null || subject.customerIds().isEmpty());
    }

    private static String column(Record row, String name) {
        return row.struct().field(name) == null ? null : (String) row.getField(name);
    }

    private static Expression in(String column, Set<String> values) {
        return Expressions.in(column, new java.util.TreeSet<>(values).toArray());
    }

    private static Expression or(Expression left, Expression right) {
        return left == null ? right : Expressions.or(left, right);
    }
}
