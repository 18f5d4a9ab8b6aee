package io.personalize.models.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training command regenerates its files bit for bit from the same settings. */
class ReproducibleTrainingTest {
    /** Small enough for a unit test; every model and file of a full run is still written. */
    static final TrainingRun.Settings SMALL = new TrainingRun.Settings(11, 300, 2, 50);

    @Test
    void trainingTwiceWithTheSameSeedWritesByteIdenticalModelsCardsAndRegistry(
            @TempDir Path first, @TempDir Path second) throws Exception {
        TrainModels.run(SMALL, first);
        TrainModels.run(SMALL, second);

        List<Path> files = files(first);
        assertThat(files)
                .contains(
                        Path.of("registry.yaml"),
                        Path.of("purchase_propensity/1/model.onnx"),
                        Path.of("purchase_propensity/1/model.yaml"),
                        Path.of("purchase_propensity/1-logistic/model.onnx"),
                        Path.of("purchase_propensity/1-logistic/model.yaml"),
                        Path.of("churn_risk/1/model.onnx"),
                        Path.of("churn_risk/1/model.yaml"),
                        Path.of("customer_ltv/1/model.onnx"),
                        Path.of("customer_ltv/1/model.yaml"),
                        Path.of("customer_clusters/1/model.onnx"),
                        Path.of("customer_clusters/1/model.yaml"))
                .hasSize(11);
        assertThat(files(second)).isEqualTo(files);
        for (Path file : files) {
            assertThat(Files.readAllBytes(second.resolve(file)))
                    .as("%s", file)
                    .isEqualTo(Files.readAllBytes(first.resolve(file)));
        }
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }
}
