package io.personalize.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.BaseCombinedScanTask;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.actions.BinPackRewriteFilePlanner;
import org.apache.iceberg.actions.FileRewritePlan;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.RewriteDataFilesCommitManager;
import org.apache.iceberg.actions.RewriteFileGroup;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.RowDataTaskWriterFactory;
import org.apache.iceberg.flink.source.DataIterator;
import org.apache.iceberg.flink.source.RowDataFileScanTaskReader;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Compacts one table's small data files, with the deletes that apply to them, into files near the
 * table's {@code write.target-file-size-bytes}, the way Iceberg's Flink maintenance task {@code
 * RewriteDataFiles} does: Iceberg's {@link BinPackRewriteFilePlanner} picks the groups, each group
 * is read with its deletes applied and written again with Iceberg's Flink reader and writer, and
 * Iceberg's {@link RewriteDataFilesCommitManager} commits them with the starting snapshot's
 * sequence number, so that equality deletes a writer commits meanwhile still apply to the new files
 * (a conflicting group is dropped and its new files deleted; rows are never changed). Delete files
 * that no longer apply to any data file are removed afterwards.
 */
final class DataFileCompaction {
    /** Snapshot summary key naming what a maintenance commit did. */
    static final String OPERATION = "personalize.operation";

    private DataFileCompaction() {}

    /** What one compaction did: data files rewritten and written, delete files dropped. */
    record Result(int rewrittenFiles, int addedFiles, int removedDeleteFiles) {}

    static Result compact(Table table, int minInputFiles, Map<String, String> summary) {
        Snapshot start = table.currentSnapshot();
        if (start == null) {
            return new Result(0, 0, 0);
        }
        BinPackRewriteFilePlanner planner =
                new BinPackRewriteFilePlanner(
                        table, Expressions.alwaysTrue(), start.snapshotId(), false);
        planner.init(
                Map.of(
                        SizeBasedFileRewritePlanner.MIN_INPUT_FILES,
                        String.valueOf(minInputFiles),
                        // one delete file is enough: reads should not merge deletes at all
                        BinPackRewriteFilePlanner.DELETE_FILE_THRESHOLD,
                        "1"));
        FileRewritePlan<RewriteDataFiles.FileGroupInfo, FileScanTask, DataFile, RewriteFileGroup>
                plan = planner.plan();
        Set<RewriteFileGroup> groups = new HashSet<>();
        try (CloseableIterable<RewriteFileGroup> planned = plan.groups()) {
            for (RewriteFileGroup group : planned) {
                group.setOutputFiles(rewrite(table, group));
                groups.add(group);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact " + table.name(), e);
        }
        int rewritten = 0;
        int added = 0;
        if (!groups.isEmpty()) {
            Map<String, String> properties = new HashMap<>(summary);
            properties.put(OPERATION, "compaction");
            new RewriteDataFilesCommitManager(table, start.snapshotId(), true, properties)
                    .commitOrClean(groups);
            for (RewriteFileGroup group : groups) {
                rewritten += group.rewrittenFiles().size();
                added += group.addedFiles().size();
            }
            table.refresh();
        }
        return new Result(rewritten, added, removeDanglingDeletes(table, summary));
    }

    /** Reads a group's rows with their deletes applied and writes them as new data files. */
    private static Set<DataFile> rewrite(Table table, RewriteFileGroup group) throws IOException {
        FileFormat format =
                FileFormat.fromString(
                        PropertyUtil.propertyAsString(
                                table.properties(),
                                TableProperties.DEFAULT_FILE_FORMAT,
                                TableProperties.DEFAULT_FILE_FORMAT_DEFAULT));
        RowDataTaskWriterFactory factory =
                new RowDataTaskWriterFactory(
                        table,
                        FlinkSchemaUtil.convert(table.schema()),
                        group.maxOutputFileSize(),
                        format,
                        table.properties(),
                        null,
                        false);
        // file names carry the task and attempt: a random attempt keeps two runs apart
        factory.initialize(0, UUID.randomUUID().hashCode() & Integer.MAX_VALUE);
        TaskWriter<RowData> writer = factory.create();
        RowDataFileScanTaskReader reader =
                new RowDataFileScanTaskReader(
                        table.schema(),
                        table.schema(),
                        table.properties().get(TableProperties.DEFAULT_NAME_MAPPING),
                        false,
                        java.util.List.of());
        try (DataIterator<RowData> rows =
                new DataIterator<>(
                        reader,
                        new BaseCombinedScanTask(group.fileScanTasks()),
                        table.io(),
                        table.encryption())) {
            while (rows.hasNext()) {
                writer.write(rows.next());
            }
            return Set.of(writer.dataFiles());
        } catch (IOException | RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    /**
     * Removes the delete files that apply to no data file of the current snapshot any more (their
     * rows were compacted away): equality deletes older than every data file they could match, and
     * position deletes of files that are gone. No row changes.
     */
    static int removeDanglingDeletes(Table table, Map<String, String> summary) {
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return 0;
        }
        Set<String> live = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().useSnapshot(current.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                task.deletes().forEach(d -> live.add(d.location()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RewriteFiles removal = table.newRewrite().validateFromSnapshot(current.snapshotId());
        int removed = 0;
        for (ManifestFile manifest : current.deleteManifests(table.io())) {
            try (ManifestReader<DeleteFile> deletes =
                    ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                for (DeleteFile delete : deletes) {
                    if (!live.contains(delete.location())) {
                        removal.deleteFile(delete.copy());
                        removed++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (removed > 0) {
            summary.forEach(removal::set);
            removal.set(OPERATION, "remove-dangling-deletes").commit();
            table.refresh();
        }
        return removed;
    }
}
