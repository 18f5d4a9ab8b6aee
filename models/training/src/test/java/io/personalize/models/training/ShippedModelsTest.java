package io.personalize.models.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.personalize.models.ModelCard;
import io.personalize.models.OnnxModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What models/shipped holds is what the job loads: every model passes its card and goldens. */
class ShippedModelsTest {
    /** models/shipped, from the module's folder (Maven runs tests there). */
    static final Path SHIPPED =
            Path.of(System.getProperty("basedir", ".")).resolve("../shipped").normalize();

    record Entry(String name, String slot, Path model, String version) {}

    static List<Entry> registry() throws Exception {
        JsonNode root =
                new ObjectMapper(new YAMLFactory())
                        .readTree(SHIPPED.resolve(ShippedModels.REGISTRY).toFile());
        List<Entry> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> models = root.path("models").fields();
        while (models.hasNext()) {
            Map.Entry<String, JsonNode> model = models.next();
            Iterator<Map.Entry<String, JsonNode>> slots = model.getValue().fields();
            while (slots.hasNext()) {
                Map.Entry<String, JsonNode> slot = slots.next();
                if (!slot.getValue().path("path").asText().endsWith(".onnx")) {
                    continue; // not a model file (e.g. a rule-based fallback)
                }
                entries.add(
                        new Entry(
                                model.getKey(),
                                slot.getKey(),
                                SHIPPED.resolve(slot.getValue().path("path").asText()),
                                slot.getValue().path("version").asText()));
            }
        }
        return entries;
    }

    @Test
    void everyModelInTheRegistryLoadsWithItsCardAndPassesItsGoldenExamples() throws Exception {
        List<Entry> entries = registry();
        assertThat(entries)
                .extracting(e -> e.name() + " " + e.slot() + " " + e.version())
                .contains(
                        "purchase_propensity champion 1",
                        "purchase_propensity challenger 1-logistic",
                        "churn_risk champion 1",
                        "customer_ltv champion 1",
                        "customer_clusters champion 1");
        for (Entry entry : entries) {
            // load() checks the card against the model and scores the golden examples
            try (OnnxModel model = OnnxModel.load(entry.model(), 1)) {
                ModelCard card = model.card();
                assertThat(card.name()).isEqualTo(entry.name());
                assertThat(card.version()).isEqualTo(entry.version());
                assertThat(card.golden()).hasSizeBetween(3, 5);
                assertThat(card.training()).containsKeys("trained_by", "data", "metrics");
            }
        }
    }

    @Test
    void rewritingTheRegistryKeepsEntriesThatTrainingDoesNotWrite(@TempDir Path dir)
            throws Exception {
        Files.writeString(
                dir.resolve(ShippedModels.REGISTRY),
                "models:\n"
                        + "  churn_risk:\n"
                        + "    champion: {path: churn_risk/1/model.onnx, version: \"1\"}\n"
                        + "    fallback: {rules: churn_rules.yaml}\n");

        new ShippedModels(dir).writeRegistry();

        JsonNode churn =
                new ObjectMapper(new YAMLFactory())
                        .readTree(dir.resolve(ShippedModels.REGISTRY).toFile())
                        .path("models")
                        .path("churn_risk");
        assertThat(churn.path("champion").path("version").asText()).isEqualTo("1");
        assertThat(churn.path("fallback").path("rules").asText()).isEqualTo("churn_rules.yaml");
    }

    @Test
    void everyShippedModelFileIsInTheRegistry() throws Exception {
        TreeSet<Path> listed = new TreeSet<>();
        for (Entry entry : registry()) {
            listed.add(entry.model());
        }
        try (Stream<Path> walk = Files.walk(SHIPPED)) {
            assertThat(walk.filter(p -> p.toString().endsWith(".onnx")).sorted().toList())
                    .containsExactlyElementsOf(listed);
        }
    }
}
