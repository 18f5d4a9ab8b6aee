package io.personalize.job.recovery;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;

/**
 * Finds the checkpoints Flink retained under a checkpoint directory ({@code <dir>/<job id>/chk-<n>}
 * with a {@code _metadata} file), newest first. A checkpoint counts only when its metadata reads
 * back completely: a process killed while writing one leaves a folder without (or with a truncated)
 * {@code _metadata}, which is skipped.
 */
public final class RetainedCheckpoints {
    private static final Pattern CHECKPOINT_FOLDER = Pattern.compile("chk-(\\d+)");
    private static final String METADATA = "_metadata";

    /** One retained, complete checkpoint. */
    public record Checkpoint(String path, String jobId, long checkpointId, long writtenAtMillis) {}

    private RetainedCheckpoints() {}

    /** The newest complete checkpoint under {@code directory}, if any. */
    public static Optional<Checkpoint> newest(URI directory) throws IOException {
        return all(directory).stream().findFirst();
    }

    /** Every complete checkpoint under {@code directory}, newest (by metadata time) first. */
    public static List<Checkpoint> all(URI directory) throws IOException {
        Path root = new Path(directory);
        FileSystem fs = root.getFileSystem();
        List<Checkpoint> found = new ArrayList<>();
        if (!fs.exists(root)) {
            return found;
        }
        for (FileStatus job : list(fs, root)) {
            if (!job.isDir()) {
                continue;
            }
            for (FileStatus folder : list(fs, job.getPath())) {
                Matcher name = CHECKPOINT_FOLDER.matcher(folder.getPath().getName());
                if (!folder.isDir() || !name.matches()) {
                    continue;
                }
                Path metadata = new Path(folder.getPath(), METADATA);
                if (!fs.exists(metadata)) {
                    continue;
                }
                long id = Long.parseLong(name.group(1));
                if (readsBack(fs, metadata, id)) {
                    found.add(
                            new Checkpoint(
                                    folder.getPath().toUri().toString(),
                                    job.getPath().getName(),
                                    id,
                                    fs.getFileStatus(metadata).getModificationTime()));
                }
            }
        }
        found.sort(
                Comparator.comparingLong(Checkpoint::writtenAtMillis)
                        .thenComparingLong(Checkpoint::checkpointId)
                        .reversed());
        return found;
    }

    /**
     * The checkpoint or savepoint at {@code path} (a {@code chk-<n>} or savepoint folder, or its
     * {@code _metadata} file), read back to know its checkpoint id.
     *
     * @throws IOException when it is not a complete checkpoint
     */
    public static Checkpoint at(String path) throws IOException {
        Path given = new Path(path);
        FileSystem fs = given.getFileSystem();
        Path metadata = given.getName().equals(METADATA) ? given : new Path(given, METADATA);
        if (!fs.exists(metadata)) {
            throw new IOException(path + " is not a checkpoint or savepoint (no " + METADATA + ")");
        }
        Path folder = metadata.getParent();
        CheckpointMetadata read = read(fs, metadata);
        Path job = folder.getParent();
        return new Checkpoint(
                folder.toUri().toString(),
                job == null ? "" : job.getName(),
                read.getCheckpointId(),
                fs.getFileStatus(metadata).getModificationTime());
    }

    private static boolean readsBack(FileSystem fs, Path metadata, long expectedId) {
        try {
            return read(fs, metadata).getCheckpointId() == expectedId;
        } catch (IOException | RuntimeException incomplete) {
            return false;
        }
    }

    private static CheckpointMetadata read(FileSystem fs, Path metadata) throws IOException {
        try (InputStream in = fs.open(metadata)) {
            return Checkpoints.loadCheckpointMetadata(
                    new DataInputStream(in),
                    RetainedCheckpoints.class.getClassLoader(),
                    metadata.getParent().toString());
        }
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] statuses = fs.listStatus(dir);
        return statuses == null ? new FileStatus[0] : statuses;
    }
}
