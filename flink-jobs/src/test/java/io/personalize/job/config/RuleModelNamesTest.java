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
 * Flows may read the scores of the models the deployment's registry serves, whatever their names,
 * and only those: a flow naming a model the registry does not have is refused at start.
 */
class RuleModelNamesTest {
    @TempDir Path tmp;

    private static final Path SHIPPED = Path.of("../models/shipped").toAbsolutePath().normalize();

    @Test
    void flowsReadTheModelsOfTheConfiguredRegistry() throws Exception {
        Path registry = tmp.resolve("registry.yaml");
        Files.writeString(
                registry,
                "models:\n  churn_risk:\n    champion: {path: "
                        + SHIPPED.resolve("churn_risk/1/model.onnx")
                        + ", version: \"1\"}\n");
        Path flows = flows("score('churn_risk') > 0.5");

        JobSettings settings =
                JobSettings.from(
                        TestConfig.of(
                                "personalize.models.registry=" + registry,
                                "personalize.flows.definitions=" + flows),
                        EnvelopeLines.SECRET);

        assertThat(settings.decisions().modelNames()).containsExactly("churn_risk");
    }

    @Test
    void aFlowNamingAModelTheRegistryDoesNotServeIsRefusedAtStart() throws Exception {
        Path registry = tmp.resolve("registry.yaml");
        Files.writeString(
                registry,
                "models:\n  churn_risk:\n    champion: {path: "
                        + SHIPPED.resolve("churn_risk/1/model.onnx")
                        + ", version: \"1\"}\n");
        // customer_ltv is shipped, but not in this registry
        Path flows = flows("score('customer_ltv') > 100.0");

        assertThatThrownBy(
                        () ->
                                JobSettings.from(
                                        TestConfig.of(
                                                "personalize.models.registry=" + registry,
                                                "personalize.flows.definitions=" + flows),
                                        EnvelopeLines.SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("customer_ltv");
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
