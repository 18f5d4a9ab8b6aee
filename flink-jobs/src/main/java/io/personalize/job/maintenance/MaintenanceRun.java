package io.personalize.job.maintenance;

import io.personalize.tables.CatalogSettings;
import io.personalize.tables.ErasureTable;
import io.personalize.tables.MaintenanceSettings;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableMaintainer;
import io.personalize.tables.Tables;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One maintenance run over every table of the job ({@code tables maintain}, and the demo and replay
 * once their run has finished), with one line per table of what it did.
 */
public final class MaintenanceRun {
    private MaintenanceRun() {}

    /** The job's tables and the {@code erasures} audit table. */
    public static List<TableDefinition> tables() {
        List<TableDefinition> tables = new ArrayList<>(Tables.all());
        tables.add(ErasureTable.ERASURES);
        return tables;
    }

    /** Maintains every table of {@code catalog}; prints what it did to {@code out}. */
    public static List<TableMaintainer.Report> run(
            CatalogSettings catalog, MaintenanceSettings settings, PrintStream out) {
        out.printf(
                "maintaining the tables: compacting small files, expiring snapshots older than %s"
                        + " (keeping at least %d), deleting orphan files older than %s%n",
                human(settings.snapshotRetention()),
                settings.minSnapshots(),
                human(settings.orphanFileAge()));
        List<TableMaintainer.Report> reports =
                catalog.withCatalog(
                        c -> new TableMaintainer(c, catalog, settings).maintain(tables()));
        for (TableMaintainer.Report r : reports) {
            if (r.locked()) {
                out.printf(
                        "  %-28slocked by another maintenance run: skipped (a killed run leaves its"
                                + " lock: tables maintain --unlock)%n",
                        r.table());
            } else {
                out.printf(
                        "  %-28s%,5d data files compacted into %,d, %,d delete files dropped, %,d"
                                + " snapshots expired, %s orphan files deleted%n",
                        r.table(),
                        r.rewrittenFiles(),
                        r.addedFiles(),
                        r.removedDeleteFiles(),
                        r.expiredSnapshots(),
                        r.orphanFiles() < 0
                                ? "no listing:"
                                : String.format("%,d", r.orphanFiles()));
            }
        }
        return reports;
    }

    private static String human(java.time.Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds > 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + " d";
        }
        if (seconds > 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + " h";
        }
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
