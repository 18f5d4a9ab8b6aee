package io.personalize.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.segments.SegmentDefinitions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @TempDir Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int validate(String yaml) {
        return ValidateCommand.validateSegments(
                yaml,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theShippedDefaultsAreValid() {
        assertThat(validate(SegmentDefinitions.defaultsText())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("ok: ");
    }

    @Test
    void listsEveryProblemWithSegmentAndPositionAndFails() {
        int code =
                validate(
                        """
                        version: 1
                        segments:
                          - id: a
                            name: A
                            rule: orderz_30d > 3
                          - id: b
                            name: B
                            rule: in_segment('nope')
                        """);

        assertThat(code).isEqualTo(ValidateCommand.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("2 problem(s)", "'a'", "orderz_30d", "'b'", "nope");
    }

    @Test
    void theCommandLineExitsNonZeroOnABadFile() throws Exception {
        Path file = tmp.resolve("segments.yaml");
        Files.writeString(
                file, "version: 1\nsegments:\n  - id: a\n    name: A\n    rule: 'age >'\n");

        assertThat(
                        io.personalize.job.cli.PersonalizeCli.execute(
                                "validate", "segments", file.toString()))
                .isEqualTo(ValidateCommand.INVALID);
        assertThat(
                        io.personalize.job.cli.PersonalizeCli.execute(
                                "validate", "segments", tmp.resolve("missing.yaml").toString()))
                .isEqualTo(2);
    }
}
