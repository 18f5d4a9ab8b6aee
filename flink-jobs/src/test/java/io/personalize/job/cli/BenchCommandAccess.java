package io.personalize.job.cli;

import java.nio.file.Path;

/** Opens {@link BenchCommand#registry} to tests in other packages. */
public final class BenchCommandAccess {
    private BenchCommandAccess() {}

    public static Path registry(Path given) {
        return BenchCommand.registry(given);
    }
}
