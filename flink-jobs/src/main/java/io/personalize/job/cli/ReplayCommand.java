package io.personalize.job.cli;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.maintenance.MaintenanceRun;
import io.personalize.job.replay.ReplayRunner;
import io.personalize.tables.CatalogSettings;
import java.nio.file.Path;
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
                        + " streaming job.")
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

    @Mixin ConfigMixin config;

    @Override
    public Integer call() throws Exception {
        Configuration conf = config.load(List.of());
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
}
