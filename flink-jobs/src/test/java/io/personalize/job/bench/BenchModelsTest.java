package io.personalize.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.personalize.job.cli.BenchCommandAccess;
import io.personalize.job.config.ConfigException;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.scoring.LogisticModels;
import io.personalize.job.testing.TestConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --models}: a data scientist's registry is measured instead of the shipped models,
 * and one the job would refuse is refused before anything runs.
 */
class BenchModelsTest {
    @TempDir Path dir;

    private static final String SECRET = "bench-models-test-secret-0123";

    @Test
    void theGivenRegistrysModelsAreMeasuredNotTheShippedOnes() throws Exception {
        String model = LogisticModels.write(dir, "my_churn", "7", LogisticModels.V1, false);
        LogisticModels.registry(
                dir, "models:\n  my_churn:\n    champion: {path: " + model + ", version: \"7\"}\n");
        Path registry = BenchCommandAccess.registry(dir);
        JobSettings settings =
                JobSettings.from(
                        ConfigLoader.withJobDefaults(
                                TestConfig.of("personalize.models.registry=" + registry)),
                        SECRET);

        List<String> events = new java.util.ArrayList<>();
        new io.personalize.core.generator.DemoDataGenerator(
                        io.personalize.core.generator.DemoDataGenerator.defaults())
                .lines(2_000)
                .forEachRemaining(events::add);
        List<String> lines = OnnxCost.measure(events, settings);

        assertThat(lines)
                .anyMatch(l -> l.startsWith("stage=onnx model=my_churn version=7 batch="))
                .noneMatch(l -> l.contains("model=churn_risk"))
                .anyMatch(l -> l.startsWith("stage=scoring models=1 "));
    }

    @Test
    void aRegistryTheJobWouldRefuseIsRefusedNamingTheProblem() throws Exception {
        String model = LogisticModels.write(dir, "broken", "1", LogisticModels.V1, true);
        Path registry =
                LogisticModels.registry(
                        dir,
                        "models:\n  broken:\n    champion: {path: "
                                + model
                                + ", version: \"1\"}\n");

        ConfigException refused =
                catchThrowableOfType(
                        ConfigException.class, () -> BenchCommandAccess.registry(registry));
        assertThat(refused.getMessage()).contains("would not serve").contains("golden example 1");

        assertThat(
                        catchThrowableOfType(
                                        ConfigException.class,
                                        () -> BenchCommandAccess.registry(dir.resolve("nowhere")))
                                .getMessage())
                .contains("no model registry at");
    }
}
