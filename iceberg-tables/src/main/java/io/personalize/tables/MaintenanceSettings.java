package io.personalize.tables;

import java.time.Duration;

/**
 * How {@link TableMaintainer} keeps the tables in shape.
 *
 * @param snapshotRetention snapshots older than this expire (time travel reaches this far back)
 * @param minSnapshots snapshots kept per table whatever their age
 * @param orphanFileAge files no snapshot references are deleted once this old: a writer's files are
 *     committed long before (one checkpoint interval), so younger ones may still be in flight
 * @param minInputFiles a partition's small files are compacted once it has this many
 * @param writersStopped no job writes to the tables now (after a finished bounded run, or with the
 *     job stopped): maintenance commits then carry the job's last committed checkpoint, so the
 *     job's own last commit may expire too
 */
public record MaintenanceSettings(
        Duration snapshotRetention,
        int minSnapshots,
        Duration orphanFileAge,
        int minInputFiles,
        boolean writersStopped) {

    /** Iceberg's own default for orphan files: three days. */
    public static final Duration DEFAULT_ORPHAN_FILE_AGE = Duration.ofDays(3);

    public MaintenanceSettings {
        if (snapshotRetention.isNegative()) {
            throw new IllegalArgumentException("snapshot retention must not be negative");
        }
        if (minSnapshots < 1) {
            throw new IllegalArgumentException("keep at least one snapshot per table");
        }
        if (orphanFileAge.isNegative()) {
            throw new IllegalArgumentException("orphan file age must not be negative");
        }
        if (minInputFiles < 2) {
            throw new IllegalArgumentException("compaction needs at least two input files");
        }
    }

    /** The same settings, for a run after which no job writes to the tables. */
    public MaintenanceSettings withWritersStopped() {
        return new MaintenanceSettings(
                snapshotRetention, minSnapshots, orphanFileAge, minInputFiles, true);
    }

    /** The same settings with another snapshot retention. */
    public MaintenanceSettings withSnapshotRetention(Duration retention) {
        return new MaintenanceSettings(
                retention, minSnapshots, orphanFileAge, minInputFiles, writersStopped);
    }
}
