package io.personalize.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.scoring.LogisticModels;
import io.personalize.models.ModelCards;
import io.personalize.models.ModelRegistryUpdate;
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

    @Test
    void theScoreSegmentsExampleIsValidAndItsModelNamesAreCheckedAgainstARegistryWhenGiven()
            throws Exception {
        Path example = Path.of("..", "docs", "examples", "score-segments.yaml");
        assertThat(validate(Files.readString(example))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "score segments (evaluated in the scoring stage): [likely_repeat_buyers,"
                                + " churn_risk_high, churning_buyers]");

        Path shipped = Path.of("..", "models", "shipped", "registry.yaml");
        assertThat(
                        PersonalizeCli.execute(
                                "validate",
                                "segments",
                                example.toString(),
                                "--models",
                                shipped.toString()))
                .isZero();
        Path onlyChurn =
                LogisticModels.registry(
                        tmp,
                        "models:\n  churn_risk:\n    champion: {path: c/1/model.onnx, version:"
                                + " \"1\"}\n");
        assertThat(
                        PersonalizeCli.execute(
                                "validate",
                                "segments",
                                example.toString(),
                                "--models",
                                onlyChurn.toString()))
                .isEqualTo(ValidateCommand.INVALID);
    }

    @Test
    void aModelThatMatchesItsCardPassesAndOneThatFailsItsGoldenExampleIsRefused() throws Exception {
        Path good =
                tmp.resolve(LogisticModels.write(tmp, "propensity", "1", LogisticModels.V1, false));
        Path bad =
                tmp.resolve(LogisticModels.write(tmp, "propensity", "2", LogisticModels.V1, true));
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(ValidateCommand.validateModel(good, null, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("ok: propensity 1 (binary_classification): 3 features");

        assertThat(ValidateCommand.validateModel(bad, null, o, e))
                .isEqualTo(ValidateCommand.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("model propensity 2", "golden example 1 scores");
        // the same through the command line, with the card given explicitly
        assertThat(
                        PersonalizeCli.execute(
                                "validate",
                                "model",
                                bad.toString(),
                                "--card",
                                ModelCards.cardFor(bad).toString()))
                .isEqualTo(ValidateCommand.INVALID);
    }

    @Test
    void everyShippedModelPassesValidation() throws Exception {
        Path registry = ModelRegistryUpdate.shipped(0).writeTo(tmp.resolve("shipped"));
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(ValidateCommand.validateRegistry(registry, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "purchase_propensity/champion=1", "purchase_propensity/shadow=1-logistic");
        try (var models = Files.walk(registry.getParent())) {
            for (Path model : models.filter(p -> p.toString().endsWith(".onnx")).toList()) {
                assertThat(PersonalizeCli.execute("validate", "model", model.toString()))
                        .as(model.toString())
                        .isZero();
            }
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void theShippedFlowsAreValidAndABrokenFlowFileFailsNamingEachProblem() throws Exception {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(ValidateCommand.validateFlows(FlowDefinitions.defaultsText(), o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("ok: 6 flows, version 1");

        Path file = tmp.resolve("flows.yaml");
        Files.writeString(
                file,
                """
                version: 2
                flows:
                  - id: nudge
                    trigger: {pattern: cart_forgotten}
                    conditions: [ordrs_7d > 1]
                    endpoint: esp
                    template: tpl
                """);
        assertThat(PersonalizeCli.execute("validate", "flows", file.toString()))
                .isEqualTo(ValidateCommand.INVALID);
        assertThat(ValidateCommand.validateFlows(Files.readString(file), o, e))
                .isEqualTo(ValidateCommand.INVALID);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("'nudge'", "cart_forgotten", "ordrs_7d");
    }

    @Test
    void aFlowOverACustomSegmentAndModelIsCheckedAgainstTheGivenFiles() throws Exception {
        Path flows = tmp.resolve("flows.yaml");
        Files.writeString(
                flows,
                """
                version: 3
                flows:
                  - id: winback_gold
                    trigger: {segment_entered: gold_lapsing}
                    conditions: [score('tenure_churn') > 0.5]
                    endpoint: esp
                    template: tpl
                """);
        Path segments = tmp.resolve("segments.yaml");
        Files.writeString(
                segments,
                """
                version: 1
                segments:
                  - id: gold_lapsing
                    name: Gold, lapsing
                    rule: lifetime_revenue > 500.0 && days_since_last_purchase > 60
                """);
        Path registry = tmp.resolve("registry.yaml");
        Files.writeString(
                registry,
                """
                models:
                  tenure_churn:
                    champion: {path: tenure_churn/1/model.onnx, version: "1"}
                """);

        // against the bundled segments and the shipped models: both names are unknown
        assertThat(PersonalizeCli.execute("validate", "flows", flows.toString()))
                .isEqualTo(ValidateCommand.INVALID);
        assertThat(
                        PersonalizeCli.execute(
                                "validate",
                                "flows",
                                flows.toString(),
                                "--segments",
                                segments.toString()))
                .as("the custom segment known, the model still not")
                .isEqualTo(ValidateCommand.INVALID);
        assertThat(
                        PersonalizeCli.execute(
                                "validate",
                                "flows",
                                flows.toString(),
                                "--segments",
                                segments.toString(),
                                "--models",
                                registry.toString()))
                .isZero();
    }

    @Test
    void theExampleDeclaredFeaturesAreValidAndABrokenFileIsRefusedWithEachPosition()
            throws Exception {
        Path example = Path.of("../docs/examples/declared-features.yaml");
        assertThat(PersonalizeCli.execute("validate", "features", example.toString())).isZero();

        Path broken = tmp.resolve("features.yaml");
        Files.writeString(
                broken,
                """
                features:
                  - name: calls
                    kind: window
                    aggregate: count
                    where: shout(event)
                    window: soon
                  - name: orders_30d
                    kind: derived
                    type: integer
                    expression: "1"
                """);
        PrintStream stderr = System.err;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(PersonalizeCli.execute("validate", "features", broken.toString()))
                    .isEqualTo(ValidateCommand.INVALID);
        } finally {
            System.setErr(stderr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("3 problem(s)")
                .contains("6:13: feature 'calls': window must be a positive duration")
                .contains("5:17: feature 'calls': where: ")
                .contains("7:11: feature 'orders_30d': name clashes with the built-in feature");
    }

    @Test
    void segmentsMayReadDeclaredFeaturesGivenWithFeatures() throws Exception {
        Path segments = tmp.resolve("segments.yaml");
        Files.writeString(
                segments,
                "version: 1\nsegments:\n  - id: callers\n    name: Callers\n"
                        + "    rule: support_calls_90d >= 3 && ltv_tier == 'gold'\n");
        String example = "../docs/examples/declared-features.yaml";

        assertThat(PersonalizeCli.execute("validate", "segments", segments.toString()))
                .isEqualTo(ValidateCommand.INVALID);
        assertThat(
                        PersonalizeCli.execute(
                                "validate", "segments", segments.toString(), "--features", example))
                .isZero();
    }

    @Test
    void featuresDocsWritesTheFeatureDocWithTheDeclaredFeatures() throws Exception {
        Path doc = tmp.resolve("features.md");

        assertThat(
                        PersonalizeCli.execute(
                                "features",
                                "docs",
                                "../docs/examples/declared-features.yaml",
                                "--output",
                                doc.toString()))
                .isZero();

        String text = Files.readString(doc);
        assertThat(text).startsWith(Files.readString(Path.of("../docs/features.md")));
        assertThat(text)
                .contains("## Declared features")
                .contains("| `contract_type` | profile | string |")
                .contains("| `ltv_tier` | derived | string |");
    }
}
