package io.personalize.job.recovery;

import io.personalize.job.config.ConfigException;
import io.personalize.job.config.ConfigLoader;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableRecovery;
import io.personalize.tables.Tables;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Decides where a run starts and prepares the tables for it, so that a crash followed by the same
 * command gives the same tables as an uninterrupted run:
 *
 * <ul>
 *   <li><b>resume</b> (the default when the checkpoint folder holds a complete checkpoint, or with
 *       {@code --from PATH}): the newest retained checkpoint (or the one given) is restored, and
 *       each table is rolled back to the commit of that checkpoint when a later one was committed;
 *   <li><b>fresh</b> (nothing to resume, or {@code --fresh}): refused when the tables already hold
 *       the job's rows, because the run would write them a second time; with {@code --overwrite}
 *       the job's tables are dropped first. Retained checkpoints of the earlier run are removed, so
 *       a crash of the new run never resumes the old one.
 * </ul>
 *
 * <pre>{@code
 * RunStart.Plan plan = RunStart.prepare(new RunStart.Request(false, false, null), conf, catalog, out);
 * }</pre>
 */
public final class RunStart {
    private RunStart() {}

    /**
     * What the command line asked for.
     *
     * @param from a checkpoint or savepoint to resume from, or {@code null}
     */
    public record Request(boolean fresh, boolean overwrite, String from) {
        public static Request resumeIfPossible() {
            return new Request(false, false, null);
        }
    }

    /** Where the run starts: the checkpoint it resumes from, or none for a fresh start. */
    public record Plan(Optional<RetainedCheckpoints.Checkpoint> resumesFrom) {}

    /**
     * Finds the state to start from, prepares the tables, sets {@code
     * execution.state-recovery.path} in {@code conf} when resuming, and prints what it did.
     *
     * @throws ConfigException when the start would duplicate or lose rows, with what to do instead
     */
    public static Plan prepare(
            Request request, Configuration conf, CatalogSettings catalog, PrintStream out) {
        if (request.overwrite() && !request.fresh()) {
            throw new ConfigException("--overwrite is only allowed with --fresh");
        }
        if (request.fresh() && request.from() != null) {
            throw new ConfigException("--fresh and --from exclude each other");
        }
        String checkpointDir = conf.getString(ConfigLoader.CHECKPOINT_DIR, null);
        Optional<RetainedCheckpoints.Checkpoint> resume =
                request.fresh() ? Optional.empty() : toResume(request, conf, checkpointDir);
        if (resume.isPresent()) {
            return resumeFrom(resume.get(), conf, catalog, out);
        }
        startFresh(request, catalog, checkpointDir, out);
        return new Plan(Optional.empty());
    }

    private static Optional<RetainedCheckpoints.Checkpoint> toResume(
            Request request, Configuration conf, String checkpointDir) {
        String from =
                request.from() != null
                        ? request.from()
                        : conf.getString(ConfigLoader.RECOVERY_PATH, null);
        try {
            if (from != null) {
                return Optional.of(RetainedCheckpoints.at(from));
            }
            return checkpointDir == null
                    ? Optional.empty()
                    : RetainedCheckpoints.newest(URI.create(checkpointDir));
        } catch (IOException e) {
            throw new ConfigException("cannot resume: " + e.getMessage());
        }
    }

    private static Plan resumeFrom(
            RetainedCheckpoints.Checkpoint checkpoint,
            Configuration conf,
            CatalogSettings catalog,
            PrintStream out) {
        out.printf(
                "resuming from checkpoint %d (%s, written %s); --fresh starts over%n",
                checkpoint.checkpointId(),
                checkpoint.path(),
                Instant.ofEpochMilli(checkpoint.writtenAtMillis()));
        List<TableRecovery.Rollback> rolledBack =
                catalog.withCatalog(
                        c ->
                                new TableRecovery(c, catalog.icebergNamespace())
                                        .rollBackAfter(checkpoint.checkpointId(), Tables.all()));
        for (TableRecovery.Rollback rollback : rolledBack) {
            out.printf(
                    "  table %s held commits up to checkpoint %d: %s (%d commit(s) removed)%n",
                    rollback.table(),
                    rollback.fromCheckpoint(),
                    rollback.emptied()
                            ? "emptied (it had no commit of an earlier checkpoint)"
                            : "rolled back to checkpoint " + rollback.toCheckpoint(),
                    rollback.removed());
        }
        conf.setString(ConfigLoader.RECOVERY_PATH, checkpoint.path());
        return new Plan(Optional.of(checkpoint));
    }

    private static void startFresh(
            Request request, CatalogSettings catalog, String checkpointDir, PrintStream out) {
        Map<String, Long> held =
                catalog.withCatalog(
                        c ->
                                new TableRecovery(c, catalog.icebergNamespace())
                                        .rowsHeld(Tables.all()));
        if (!held.isEmpty()) {
            if (!request.overwrite()) {
                throw new ConfigException(refusal(request, catalog, checkpointDir, held));
            }
            List<String> dropped =
                    catalog.withCatalog(
                            c ->
                                    new TableRecovery(c, catalog.icebergNamespace())
                                            .dropAll(Tables.all()));
            out.printf("--overwrite: dropped the job's tables %s%n", dropped);
        }
        if (request.fresh() && checkpointDir != null) {
            removeRetainedCheckpoints(checkpointDir, out);
        }
        out.println("starting fresh (no checkpoint to resume from)");
    }

    private static String refusal(
            Request request,
            CatalogSettings catalog,
            String checkpointDir,
            Map<String, Long> held) {
        String where =
                "the tables in namespace "
                        + catalog.namespace()
                        + " already hold this job's rows "
                        + held;
        String why =
                request.fresh()
                        ? "--fresh would write them a second time"
                        : "there is no checkpoint under "
                                + checkpointDir
                                + " to resume from, and a start without state would write them a"
                                + " second time";
        return where
                + "; "
                + why
                + ". Resume with --from PATH (a checkpoint or savepoint), or start over with"
                + " --fresh --overwrite (drops the job's tables first).";
    }

    /** Removes the job folders ({@code <dir>/<job id>}) that hold retained checkpoints. */
    private static void removeRetainedCheckpoints(String checkpointDir, PrintStream out) {
        try {
            List<RetainedCheckpoints.Checkpoint> retained =
                    RetainedCheckpoints.all(URI.create(checkpointDir));
            Path dir = new Path(URI.create(checkpointDir));
            FileSystem fs = dir.getFileSystem();
            for (String jobId :
                    retained.stream()
                            .map(RetainedCheckpoints.Checkpoint::jobId)
                            .distinct()
                            .toList()) {
                fs.delete(new Path(dir, jobId), true);
            }
            if (!retained.isEmpty()) {
                out.printf(
                        "--fresh: removed %d retained checkpoint(s) of the earlier run under %s%n",
                        retained.size(), checkpointDir);
            }
        } catch (IOException e) {
            throw new ConfigException(
                    "cannot remove the earlier run's checkpoints under "
                            + checkpointDir
                            + ": "
                            + e.getMessage());
        }
    }
}
