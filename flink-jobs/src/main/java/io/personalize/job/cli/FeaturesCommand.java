package io.personalize.job.cli;

import io.personalize.core.features.FeatureDocs;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.features.declared.FeatureValidationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code personalize features docs [FILE] [--output FILE]}: the feature documentation
 * (docs/features.md) with a deployment's declared features.
 */
@Command(
        name = "features",
        mixinStandardHelpOptions = true,
        description =
                "docs [FILE]: print docs/features.md for the built-in features and the declared"
                        + " features of FILE (a personalize.features.declared file).")
public final class FeaturesCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ACTION", description = "docs")
    String action;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "FILE",
            description = "Declared features file; the built-in features only without one.")
    Path file;

    @Option(
            names = "--output",
            paramLabel = "OUT",
            description = "Write the document to OUT instead of printing it.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!"docs".equals(action)) {
            throw new IllegalArgumentException("features " + action + ": ACTION is docs");
        }
        FeatureRegistry registry = FeatureRegistry.standard();
        if (file != null) {
            try {
                registry = DeclaredFeatures.load(file).registry();
            } catch (FeatureValidationException e) {
                System.err.println(e.getMessage());
                return ValidateCommand.INVALID;
            }
        }
        String doc = FeatureDocs.markdown(registry);
        if (output != null) {
            Files.writeString(output, doc, StandardCharsets.UTF_8);
        } else {
            System.out.print(doc);
        }
        return 0;
    }
}
