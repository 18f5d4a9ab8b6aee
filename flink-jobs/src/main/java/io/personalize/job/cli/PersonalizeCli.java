package io.personalize.job.cli;

import io.personalize.job.config.ConfigException;
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
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PersonalizeCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new PersonalizeCli());
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
