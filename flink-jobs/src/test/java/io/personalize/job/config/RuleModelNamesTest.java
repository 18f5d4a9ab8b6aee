package io.personalize.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.job.EnvelopeLines;
import io.personalize.job.testing.TestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flows may read the scores of the models the deployment's registry serves, whatever their names
 * (and the shipped ones, which the bundled flows read); a flow naming any other model is refused at
 * start.
 */
class RuleModelNamesTest {
    @TempDir Path tmp;

    private static final Path SHIPPED = Path.of("../models/shipped").toAbsolutePath().normalize();

    @Test
    void flowsReadTheModelsOfTheConfiguredRegistry() throws Exception {
        // the shipped churn model under a name of the deployment's own
        Path dir = Files.createDirectories(tmp.resolve("tenure_churn/1"));
        Files.copy(SHIPPED.resolve("churn_risk/1/model.onnx"), dir.resolve("model.onnx"));
        String card = Files.readString(SHIPPED.resolve("churn_risk/1/model.yaml"));
        assertThat(card).contains("name: churn_risk");
        Files.writeString(
                dir.resolve("model.yaml"), card.replace("name: churn_risk", "name: tenure_churn"));
        Path registry = tmp.resolve("registry.yaml");
        Files.writeString(
                registry,
                "models:\n  tenure_churn:\n    champion: {path: tenure_churn/1/model.onnx,"
                        + " version: \"1\"}\n");
        Path flows = flows("score('tenure_churn') > 0.5");

        JobSettings settings =
                JobSettings.from(
                        TestConfig.of(
                                "personalize.models.registry=" + registry,
                                "personalize.flows.definitions=" + flows),
                        EnvelopeLines.SECRET);

        assertThat(settings.decisions().modelNames()).contains("tenure_churn", "churn_risk");
    }

    @Test
    void aFlowNamingAModelNeitherShippedNorInTheRegistryIsRefusedAtStart() throws Exception {
        Path registry = tmp.resolve("registry.yaml");
        Files.writeString(
                registry,
                "models:\n  churn_risk:\n    champion: {path: "
                        + SHIPPED.resolve("churn_risk/1/model.onnx")
                        + ", version: \"1\"}\n");
        Path flows = flows("score('tenure_churm') > 0.5");

        assertThatThrownBy(
                        () ->
                                JobSettings.from(
                                        TestConfig.of(
                                                "personalize.models.registry=" + registry,
                                                "personalize.flows.definitions=" + flows),
                                        EnvelopeLines.SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tenure_churm");
    }

    private Path flows(String condition) throws Exception {
        Path flows = tmp.resolve("flows.yaml");
        Files.writeString(
                flows,
                "version: 1\nflows:\n  - id: save\n    trigger:\n      condition: "
                        + condition
                        + "\n    endpoint: esp\n    template: tpl\n");
        return flows;
    }
}
