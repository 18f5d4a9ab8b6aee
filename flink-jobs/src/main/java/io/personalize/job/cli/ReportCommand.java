package io.personalize.job.cli;

import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.report.ExperimentChart;
import io.personalize.job.report.ExperimentReport;
import io.personalize.tables.CatalogSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code report experiments}: what each flow and variant achieved against its holdout. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Reports read back from the tables.",
        subcommands = {ReportCommand.Experiments.class})
public final class ReportCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "experiments",
            mixinStandardHelpOptions = true,
            description =
                    "Per flow and variant: decisions, conversions, conversion rate, revenue and the"
                            + " uplift against the holdout with a 95% interval; writes"
                            + " experiments.csv and experiments.png.")
    static final class Experiments implements Callable<Integer> {
        @Option(
                names = "--warehouse",
                paramLabel = "DIR",
                description =
                        "Local warehouse the demo wrote (default: demo-output/warehouse); ignored"
                                + " when --config names a catalog.")
        Path warehouse = Path.of("demo-output", "warehouse");

        @Option(
                names = "--output",
                paramLabel = "DIR",
                description =
                        "Where experiments.csv and experiments.png go (default: demo-output/report).")
        Path output = Path.of("demo-output", "report");

        @Mixin ConfigMixin config;

        @Override
        public Integer call() throws Exception {
            System.setProperty("java.awt.headless", "true");
            Configuration conf = ConfigLoader.withJobDefaults(config.load(List.of()));
            CatalogSettings catalog = JobSettings.catalog(conf, warehouse.toAbsolutePath());
            PrintStream out = System.out;
            ExperimentReport report = ExperimentReport.read(catalog);
            report.print(out);
            Files.createDirectories(output);
            Path csv = output.resolve("experiments.csv");
            Path png = output.resolve("experiments.png");
            report.writeCsv(csv);
            ExperimentChart.write(report.lines(), png);
            out.printf("%nwritten: %s, %s%n", csv.toAbsolutePath(), png.toAbsolutePath());
            return 0;
        }
    }
}
