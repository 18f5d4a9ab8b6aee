package io.personalize.job.cli;

import io.personalize.core.events.Event;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.job.config.ConfigException;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.erasure.Erasures;
import io.personalize.job.maintenance.MaintenanceRun;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.CustomerErasure;
import io.personalize.tables.ErasureTable;
import io.personalize.tables.MaintenanceSettings;
import io.personalize.tables.TableMaintainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tables maintain}: table maintenance, beside the running job or not; {@code tables erase}:
 * forgetting a customer while the job is stopped.
 */
@Command(
        name = "tables",
        mixinStandardHelpOptions = true,
        description = "Operations on the job's tables.",
        subcommands = {TablesCommand.Maintain.class, TablesCommand.Erase.class})
public final class TablesCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Compacts small data files and deletes, expires old snapshots and deletes orphan files of
     * every table ({@link MaintenanceRun}); safe while the job writes. The Helm chart runs it as a
     * CronJob.
     */
    @Command(
            name = "maintain",
            mixinStandardHelpOptions = true,
            description =
                    "Compact small data files (with their deletes), expire snapshots older than"
                            + " personalize.maintenance.snapshot-retention (default 7 d) and"
                            + " delete orphan files, in every table. Safe while the job writes;"
                            + " schedule it (the Helm chart's maintenance CronJob).")
    static final class Maintain implements Callable<Integer> {
        @Option(
                names = "--warehouse",
                paramLabel = "DIR",
                description =
                        "Local warehouse the demo wrote (default: demo-output/warehouse); ignored"
                                + " when --config names a catalog.")
        Path warehouse = Path.of("demo-output", "warehouse");

        @Option(
                names = "--job-stopped",
                description =
                        "No job writes to the tables now: maintenance commits then carry the"
                                + " job's last checkpoint, so the job's own last commit may"
                                + " expire too.")
        boolean jobStopped;

        @Option(
                names = "--unlock",
                description =
                        "Only remove the maintenance locks a killed run left behind (make sure no"
                                + " other maintenance run is active).")
        boolean unlock;

        @Mixin ConfigMixin config;

        @Override
        public Integer call() {
            Configuration conf = ConfigLoader.withJobDefaults(config.load(List.of()));
            CatalogSettings catalog = JobSettings.catalog(conf, warehouse.toAbsolutePath());
            if (unlock) {
                catalog.withCatalog(
                        c -> {
                            new TableMaintainer(c, catalog, JobSettings.maintenance(conf))
                                    .unlock(MaintenanceRun.tables());
                            return null;
                        });
                System.out.println("maintenance locks removed");
                return 0;
            }
            MaintenanceSettings settings = JobSettings.maintenance(conf);
            List<TableMaintainer.Report> reports =
                    MaintenanceRun.run(
                            catalog,
                            jobStopped ? settings.withWritersStopped() : settings,
                            System.out);
            // a locked table was not maintained: say so in the exit code (the CronJob shows it)
            return reports.stream().anyMatch(TableMaintainer.Report::locked) ? 3 : 0;
        }
    }

    /**
     * Forgets one customer: their rows, and the rows of the anonymous ids the events link to them,
     * leave every table ({@link CustomerErasure}), older snapshots are expired, and the {@code
     * erasures} table records it under a salted hash of the customer key.
     */
    @Command(
            name = "erase",
            mixinStandardHelpOptions = true,
            description =
                    "Delete a customer's rows (and those of the anonymous ids linked to them) from"
                            + " every table, expire older snapshots so time travel cannot bring"
                            + " them back, and record the erasure in the erasures table.")
    static final class Erase implements Callable<Integer> {
        @Option(
                names = "--customer",
                required = true,
                paramLabel = "ID",
                description = "The customer id (customer_id), as events carry it.")
        String customer;

        @Option(
                names = "--warehouse",
                paramLabel = "DIR",
                description =
                        "Local warehouse the demo wrote (default: demo-output/warehouse); ignored"
                                + " when --config names a catalog.")
        Path warehouse = Path.of("demo-output", "warehouse");

        @Mixin ConfigMixin config;

        @Override
        public Integer call() throws Exception {
            Configuration conf = ConfigLoader.withJobDefaults(config.load(List.of()));
            CatalogSettings catalog = JobSettings.catalog(conf, warehouse.toAbsolutePath());
            PersonalDataScrubber scrubber = new PersonalDataScrubber(secret(warehouse));
            erase(catalog, scrubber, customer, "command", System.out);
            return 0;
        }
    }

    /** Erases {@code customerId} from the tables of {@code catalog}; prints what it removed. */
    static ErasureTable.Audit erase(
            CatalogSettings catalog,
            PersonalDataScrubber scrubber,
            String customerId,
            String source,
            PrintStream out) {
        if (customerId == null || customerId.isBlank()) {
            throw new ConfigException("--customer: give the customer id to erase");
        }
        Instant requested = Instant.now();
        return Erasures.eraseStopped(
                catalog,
                scrubber,
                new Erasures.Request(
                        "command:"
                                + scrubber.hash(Event.CUSTOMER_KEY_PREFIX + customerId)
                                + "@"
                                + requested.toEpochMilli(),
                        customerId,
                        Set.of(),
                        requested,
                        false,
                        Map.of()),
                source,
                out);
    }

    /**
     * The hashing secret: {@code PERSONALIZE_HASH_SECRET}, else the one-off secret the demo kept
     * next to its warehouse.
     */
    private static String secret(Path warehouse) throws IOException {
        String secret = System.getenv(PersonalDataScrubber.SECRET_ENV);
        if (secret != null && !secret.isBlank()) {
            return secret;
        }
        Path demoSecret = warehouse.toAbsolutePath().getParent().resolve("hash-secret");
        if (Files.isRegularFile(demoSecret)) {
            return Files.readString(demoSecret).trim();
        }
        throw new ConfigException(
                "set "
                        + PersonalDataScrubber.SECRET_ENV
                        + " to the hashing secret the job ran with: the erasure is recorded under"
                        + " the customer key hashed with it");
    }
}
