package io.personalize.job.cli;

import io.personalize.job.config.ConfigException;
import java.io.PrintWriter;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code personalize} command line: {@code demo}, {@code run}, {@code bench}, {@code generate}.
 */
@Command(
        name = "personalize",
        mixinStandardHelpOptions = true,
        version = "personalize 0.1.0",
        description = "Real-time personalization engine for email marketing, on Apache Flink.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ReplayCommand.class,
            BenchCommand.class,
            GenerateCommand.class,
            ValidateCommand.class,
            FeaturesCommand.class,
            ReportCommand.class,
            TablesCommand.class,
            TrainingSetCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PersonalizeCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * Exits with the command's code when run on its own ({@code java -jar}). Inside a Flink cluster
     * (application mode runs {@code main} in the JobManager) it never calls {@link System#exit},
     * which would end the JobManager: it returns, or throws on a failure.
     */
    public static void main(String[] args) {
        int code = execute(args);
        if (insideFlinkCluster()) {
            if (code != 0) {
                throw new IllegalStateException("personalize exited with code " + code);
            }
            return;
        }
        System.exit(code);
    }

    /** A cluster or client submission installs a context environment; a plain JVM has none. */
    private static boolean insideFlinkCluster() {
        return !runsLocally();
    }

    /** Whether a job started here runs in a MiniCluster in this JVM. */
    static boolean runsLocally() {
        return StreamExecutionEnvironment.getExecutionEnvironment()
                instanceof LocalStreamEnvironment;
    }

    /** Runs a command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        return execute(null, args);
    }

    /**
     * Runs a command line with its errors (the {@code error:} line of a refused start) written to
     * {@code err} instead of standard error, and returns its exit code.
     */
    public static int execute(PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new PersonalizeCli());
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
                        commandLine.getErr().println("error: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                });
        return cli.execute(args);
    }
}
