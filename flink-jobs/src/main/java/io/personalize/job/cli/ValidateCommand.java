package io.personalize.job.cli;

import io.personalize.core.segments.CompiledSegments;
import io.personalize.core.segments.SegmentCompiler;
import io.personalize.core.segments.SegmentProblem;
import io.personalize.core.segments.SegmentValidationException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code personalize validate segments FILE}: check definitions without running the job. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description =
                "Check definitions without running the job: every problem is listed, and the exit"
                        + " code is non-zero when there is one.")
public final class ValidateCommand implements Callable<Integer> {
    /** Exit code when the definitions have problems. */
    static final int INVALID = 1;

    @Parameters(index = "0", paramLabel = "KIND", description = "What to check: segments.")
    String kind;

    @Parameters(index = "1", paramLabel = "FILE", description = "The definitions file (YAML).")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (!kind.equals("segments")) {
            throw new IllegalArgumentException(
                    "validate " + kind + ": only 'segments' can be validated so far");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist");
        }
        return validateSegments(Files.readString(file), System.out, System.err);
    }

    static int validateSegments(String yaml, PrintStream out, PrintStream err) {
        try {
            CompiledSegments compiled = SegmentCompiler.standard().compile(yaml);
            out.printf(
                    "ok: %d segments, version %d, evaluation order %s%n",
                    compiled.evaluationOrder().size(),
                    compiled.version(),
                    compiled.evaluationOrder());
            return 0;
        } catch (SegmentValidationException e) {
            err.printf("%d problem(s):%n", e.problems().size());
            for (SegmentProblem problem : e.problems()) {
                err.println("  " + problem);
            }
            return INVALID;
        }
    }
}
