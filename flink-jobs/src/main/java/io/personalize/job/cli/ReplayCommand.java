package io.personalize.job.cli;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.job.config.ConfigException;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.maintenance.MaintenanceRun;
import io.personalize.job.replay.ReplayRunner;
import io.personalize.job.replay.WhatIfReplay;
import io.personalize.job.replay.WhatIfRunner;
import io.personalize.tables.CatalogSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code personalize replay}: recompute the feature tables from history, in batch mode. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description =
                "Recompute customer_features and customer_features_history from the events table"
                        + " (or --input files) in Flink's batch mode, through the same code as the"
                        + " streaming job; or, with --what-if, compare what proposed flows or"
                        + " segments would have decided over that history.")
public final class ReplayCommand implements Callable<Integer> {
    @Option(
            names = "--input",
            paramLabel = "PATH",
            description = "Replay these files instead of the events table.")
    Path input;

    @Option(
            names = "--format",
            defaultValue = "envelope",
            description = "Format of --input (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--warehouse",
            paramLabel = "DIR",
            description =
                    "A local warehouse made by the demo (e.g. demo-output/warehouse) instead of the configured catalog.")
    Path warehouse;

    @Option(
            names = "--target-namespace",
            paramLabel = "NAME",
            description =
                    "Namespace for the recomputed feature tables (default: <namespace>_replay).")
    String targetNamespace;

    @Option(
            names = "--what-if",
            description =
                    "Run the whole job twice over the events table, with the current and with the"
                            + " proposed --flows/--segments, into a namespace of its own; send"
                            + " nothing; write a report (--report).")
    boolean whatIf;

    @Option(
            names = "--flows",
            paramLabel = "FILE",
            description = "With --what-if: the proposed flow definitions.")
    Path flows;

    @Option(
            names = "--segments",
            paramLabel = "FILE",
            description = "With --what-if: the proposed segment definitions.")
    Path segments;

    @Option(
            names = "--from",
            paramLabel = "TIME",
            description = "With --what-if: first event time replayed (ISO-8601, inclusive).")
    Instant from;

    @Option(
            names = "--to",
            paramLabel = "TIME",
            description = "With --what-if: event time the replay stops at (ISO-8601, exclusive).")
    Instant to;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            description = "With --what-if: where the report goes (default: what-if-report).")
    Path report = Path.of("what-if-report");

    @Option(
            names = "--namespace",
            paramLabel = "NAME",
            description =
                    "With --what-if: namespace prefix of the two runs' tables (default:"
                            + " <namespace>_whatif_<UTC timestamp>; the runs write <prefix>_current"
                            + " and <prefix>_proposed).")
    String whatIfNamespace;

    @Mixin ConfigMixin config;

    @Override
    public Integer call() throws Exception {
        Configuration conf = config.load(List.of());
        if (whatIf) {
            return whatIf(conf);
        }
        if (flows != null || segments != null || from != null || to != null) {
            throw new ConfigException("--flows, --segments, --from and --to need --what-if");
        }
        String secret = System.getenv(PersonalDataScrubber.SECRET_ENV);
        if (input == null && (secret == null || secret.isBlank())) {
            // Payloads in the events table were scrubbed when first read: nothing left to hash.
            secret = java.util.UUID.randomUUID().toString();
        }
        JobSettings settings = JobSettings.from(ConfigLoader.withJobDefaults(conf), secret);
        CatalogSettings source = JobSettings.catalog(conf, warehouse);
        String namespace =
                targetNamespace != null
                        ? targetNamespace
                        : conf.get(PersonalizeOptions.NAMESPACE) + "_replay";
        CatalogSettings target =
                new CatalogSettings(
                        source.type(),
                        source.name(),
                        source.uri(),
                        source.warehouse(),
                        namespace,
                        source.extraProperties());
        ReplayRunner.Result result =
                input != null
                        ? ReplayRunner.fromFiles(
                                conf, settings, input, InputFormat.fromCliName(format), target)
                        : ReplayRunner.fromEventsTable(conf, settings, source, target);
        System.out.printf(
                "replayed up to %s in %.1f s into %s.customer_features and %s.customer_features_history%n",
                result.endOfTime() == null
                        ? "(no events)"
                        : java.time.Instant.ofEpochMilli(result.endOfTime()),
                result.seconds(),
                namespace,
                namespace);
        if (conf.get(PersonalizeOptions.MAINTENANCE_AFTER_RUN)) {
            // a replay of months of history commits many small files: compact them now
            MaintenanceRun.run(
                    target, JobSettings.maintenance(conf).withWritersStopped(), System.out);
        }
        return 0;
    }

    private Integer whatIf(Configuration userConf) throws Exception {
        if (flows == null && segments == null) {
            throw new ConfigException("replay --what-if needs --flows FILE and/or --segments FILE");
        }
        if (input != null) {
            throw new ConfigException("replay --what-if reads the events table, not --input");
        }
        System.setProperty("java.awt.headless", "true");
        Configuration conf = ConfigLoader.withJobDefaults(userConf);
        String secret = System.getenv(PersonalDataScrubber.SECRET_ENV);
        if (secret == null || secret.isBlank()) {
            // both runs share it; the events table's payloads are already scrubbed
            secret = java.util.UUID.randomUUID().toString();
        }
        CatalogSettings source = JobSettings.catalog(conf, warehouse);
        String namespace =
                whatIfNamespace != null
                        ? whatIfNamespace
                        : conf.get(PersonalizeOptions.NAMESPACE)
                                + "_whatif_"
                                + DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
                                        .withZone(ZoneOffset.UTC)
                                        .format(Instant.now());
        Path dir = report.toAbsolutePath();
        Path summary =
                WhatIfReplay.run(
                        conf,
                        secret,
                        new WhatIfRunner.Request(
                                source,
                                namespace,
                                abs(flows),
                                abs(segments),
                                from,
                                to,
                                dir.resolve("work")),
                        dir,
                        System.out);
        System.out.printf("what-if report: %s (CSV files and chart next to it)%n", summary);
        return 0;
    }

    private static Path abs(Path path) {
        return path == null ? null : path.toAbsolutePath();
    }
}
