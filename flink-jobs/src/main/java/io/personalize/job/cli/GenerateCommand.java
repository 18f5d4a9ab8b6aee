package io.personalize.job.cli;

import io.personalize.core.generator.DemoDataGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes the demo's generated events to a file, for other tools or a later {@code --input}. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Write generated demo events (JSON Lines envelope) to a file.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(
            names = "--events",
            defaultValue = "200000",
            description = "How many records (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "FILE",
            description = "File to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        DemoDataGenerator generator =
                new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(seed));
        generator.writeTo(output, events);
        System.out.printf("wrote %d records to %s%n", events, output.toAbsolutePath());
        return 0;
    }
}
