package io.personalize.job.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's own linter, {@code promtool check metrics}, over a scrape. Skipped where promtool is
 * not installed, unless {@value #REQUIRE_ENV}=1 (CI installs it, Debian package {@code prometheus},
 * and sets it).
 */
final class PromtoolLint {
    static final String REQUIRE_ENV = "PERSONALIZE_REQUIRE_PROMTOOL";

    private PromtoolLint() {}

    /** The linter's problems with the metric families whose name contains {@code marker}. */
    static List<String> problemsOf(String scrape, String marker)
            throws IOException, InterruptedException {
        Path promtool = promtool();
        Process p =
                new ProcessBuilder(promtool.toString(), "check", "metrics")
                        .redirectErrorStream(true)
                        .start();
        p.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool ends").isTrue();
        List<String> problems = new ArrayList<>();
        for (String line : report.split("\\n")) {
            if (line.contains(marker)) {
                problems.add(line.strip());
            }
        }
        return problems;
    }

    private static Path promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        assertThat(System.getenv(REQUIRE_ENV))
                .as("promtool is required (%s=1) but not installed", REQUIRE_ENV)
                .isNotEqualTo("1");
        Assumptions.abort("promtool is not installed (Debian: prometheus)");
        throw new AssertionError("unreachable");
    }
}
