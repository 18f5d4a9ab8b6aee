package io.personalize.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.job.scoring.LogisticModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad start ends the same way: exit code 2 and one {@code error:} message naming the problem,
 * with each problem listed, and no stack trace. Run through the command line as a user would.
 */
class BadStartTest {
    @TempDir Path tmp;

    private final StringWriter err = new StringWriter();

    private int demo(String... extra) {
        List<String> args = new ArrayList<>(List.of("demo", "--events", "50"));
        args.addAll(List.of("--output", tmp.resolve("out").toString()));
        args.addAll(List.of(extra));
        return PersonalizeCli.execute(new PrintWriter(err, true), args.toArray(String[]::new));
    }

    private String error() {
        return err.toString();
    }

    @Test
    void aModelRegistryWhoseModelFailsItsGoldenExamplesRefusesTheStart() throws Exception {
        Path model =
                tmp.resolve(LogisticModels.write(tmp, "propensity", "2", LogisticModels.V1, true));
        Path registry = tmp.resolve("registry.yaml");
        Files.writeString(
                registry,
                "models:\n  propensity:\n    champion: {path: "
                        + tmp.relativize(model)
                        + ", version: \"2\"}\n");

        assertThat(demo("--set", "personalize.models.registry=" + registry)).isEqualTo(2);
        assertThat(error())
                .startsWith("error: personalize.models.registry " + registry + ": 1 problem(s):")
                .contains("golden example")
                .doesNotContain("\tat ");
    }

    @Test
    void segmentsFlowsAndEndpointsFilesThatFailValidationRefuseTheStartListingTheirProblems()
            throws Exception {
        Path segments = tmp.resolve("segments.yaml");
        Files.writeString(
                segments,
                "version: 1\nsegments:\n  - id: a\n    name: A\n    rule: orderz_30d > 3\n");
        assertThat(demo("--set", "personalize.segments.definitions=" + segments)).isEqualTo(2);
        assertThat(error()).startsWith("error: ").contains("orderz_30d");

        Path flows = tmp.resolve("flows.yaml");
        Files.writeString(
                flows,
                "version: 2\nflows:\n  - id: nudge\n    trigger: {pattern: cart_forgotten}\n"
                        + "    conditions: [ordrs_7d > 1]\n    endpoint: esp\n    template: t\n");
        assertThat(demo("--set", "personalize.flows.definitions=" + flows)).isEqualTo(2);
        assertThat(error()).contains("ordrs_7d");

        Path endpoints = tmp.resolve("endpoints.yaml");
        Files.writeString(endpoints, "endpoints:\n  esp:\n    url: ftp://x\n    secret: clear\n");
        assertThat(demo("--set", "personalize.delivery.endpoints=" + endpoints)).isEqualTo(2);
        assertThat(error()).contains(endpoints.toString()).doesNotContain("\tat ");
    }

    @Test
    void aMistypedFlinkKeyIsReportedWithTheKeyItProbablyMeant() {
        assertThat(demo("--set", "execution.checkpointing.intervall=5 s")).isEqualTo(2);
        assertThat(error())
                .contains(
                        "'execution.checkpointing.intervall' (did you mean"
                                + " 'execution.checkpointing.interval'?)");
    }

    @Test
    void anOutputFolderThatCannotBeCreatedIsOneLine() throws Exception {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "not a folder");
        int code =
                PersonalizeCli.execute(
                        new PrintWriter(err, true),
                        "demo",
                        "--events",
                        "50",
                        "--output",
                        file.resolve("out").toString());

        assertThat(code).isEqualTo(2);
        assertThat(error().strip().lines()).hasSize(1);
        assertThat(error()).startsWith("error: cannot create the output folder");
    }
}
