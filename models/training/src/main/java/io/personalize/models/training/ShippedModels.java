package io.personalize.models.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.personalize.models.ModelCard;
import io.personalize.models.ModelCards;
import io.personalize.models.ModelException;
import io.personalize.models.OnnxModel;
import io.personalize.models.Prediction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes models the way they ship: {@code <dir>/<name>/<version>/model.onnx} with its card {@code
 * model.yaml}, and {@code <dir>/registry.yaml} naming each model's champion (and challenger). Every
 * written model is loaded back with {@link OnnxModel#load} (card checks, golden examples) and its
 * check rows scored by ONNX Runtime against what the training library predicted.
 */
public final class ShippedModels {
    public static final String REGISTRY = "registry.yaml";
    public static final String MODEL_FILE = "model.onnx";

    /** Added to a model's check tolerance, times the expected value. */
    static final double RELATIVE_TOLERANCE = 1e-6;

    /** A written, verified model. */
    public record Written(ModelCard card, Path model, String check) {}

    private final Path dir;
    private final Map<String, Map<String, Written>> slots = new LinkedHashMap<>();

    public ShippedModels(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes and verifies a model into a registry slot ({@code champion} or {@code challenger}).
     *
     * @throws ModelException when the written model does not load or scores differently
     */
    public Written write(TrainedModel trained, String slot) throws IOException, ModelException {
        ModelCard card = trained.card();
        Path folder = dir.resolve(card.name()).resolve(card.version());
        Files.createDirectories(folder);
        Path model = folder.resolve(MODEL_FILE);
        Files.write(model, trained.onnx());
        ModelCards.write(card, ModelCards.cardFor(model));
        String check = verify(model, trained);
        Written written = new Written(card, model, check);
        slots.computeIfAbsent(card.name(), k -> new LinkedHashMap<>()).put(slot, written);
        return written;
    }

    /** Loads the written files as the job does and compares scores with the trainer's. */
    static String verify(Path model, TrainedModel trained) throws ModelException {
        try (OnnxModel loaded = OnnxModel.load(model, 1)) {
            List<Prediction> scores = loaded.score(trained.checkRows());
            double maxDiff = 0;
            int mismatched = 0;
            for (int i = 0; i < scores.size(); i++) {
                double expected = trained.expected()[i];
                double diff = Math.abs(scores.get(i).score() - expected);
                // float32 sums of many trees: allow a few units in the last place of large values
                if (!(diff <= trained.checkTolerance() + RELATIVE_TOLERANCE * Math.abs(expected))) {
                    mismatched++;
                }
                maxDiff = Math.max(maxDiff, Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff);
            }
            if (mismatched > 0) {
                throw new ModelException(
                        "model " + trained.card().id(),
                        List.of(
                                String.format(
                                        Locale.ROOT,
                                        "ONNX Runtime differs from the trainer on %d of %d rows"
                                                + " (max difference %.3g, tolerance %.3g + %.1g"
                                                + " x value)",
                                        mismatched,
                                        scores.size(),
                                        maxDiff,
                                        trained.checkTolerance(),
                                        RELATIVE_TOLERANCE)));
            }
            return String.format(
                    Locale.ROOT,
                    "loads with its card, %d golden examples pass, ONNX Runtime = trainer on %d"
                            + " rows (max |diff| %.2g)",
                    trained.card().golden().size(),
                    scores.size(),
                    maxDiff);
        }
    }

    /**
     * Writes {@code registry.yaml} for the models written so far. Entries of an existing registry
     * that this run did not write (other slots such as a fallback, other models) are kept, after
     * the written ones.
     */
    public Path writeRegistry() throws IOException {
        Path registry = dir.resolve(REGISTRY);
        Map<String, Map<String, String>> lines = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Written>> model : slots.entrySet()) {
            Map<String, String> entries = new LinkedHashMap<>();
            for (Map.Entry<String, Written> slot : model.getValue().entrySet()) {
                Written w = slot.getValue();
                String path = dir.relativize(w.model()).toString().replace('\\', '/');
                entries.put(
                        slot.getKey(),
                        "{path: " + path + ", version: \"" + w.card().version() + "\"}");
            }
            lines.put(model.getKey(), entries);
        }
        if (Files.exists(registry)) {
            keepOthers(registry, lines);
        }
        StringBuilder out = new StringBuilder();
        out.append("# Written by models/train (io.personalize.models.training.TrainModels);")
                .append(" paths are relative to this file.\n");
        out.append("models:\n");
        for (Map.Entry<String, Map<String, String>> model : lines.entrySet()) {
            out.append("  ").append(model.getKey()).append(":\n");
            for (Map.Entry<String, String> slot : model.getValue().entrySet()) {
                out.append("    ")
                        .append(slot.getKey())
                        .append(": ")
                        .append(slot.getValue())
                        .append("\n");
            }
        }
        Files.writeString(registry, out.toString(), StandardCharsets.UTF_8);
        return registry;
    }

    /** Adds the existing registry's entries that {@code lines} lacks, in YAML flow style. */
    private static void keepOthers(Path registry, Map<String, Map<String, String>> lines)
            throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(registry.toFile());
        Iterator<Map.Entry<String, JsonNode>> models = root.path("models").fields();
        while (models.hasNext()) {
            Map.Entry<String, JsonNode> model = models.next();
            Map<String, String> entries =
                    lines.computeIfAbsent(model.getKey(), k -> new LinkedHashMap<>());
            Iterator<Map.Entry<String, JsonNode>> existing = model.getValue().fields();
            while (existing.hasNext()) {
                Map.Entry<String, JsonNode> slot = existing.next();
                entries.putIfAbsent(slot.getKey(), flow(slot.getValue()));
            }
        }
    }

    /** A node in YAML flow style: {@code {base: 0.05, weights: {orders_30d: 0.1}}}. */
    private static String flow(JsonNode node) throws IOException {
        if (node.isObject()) {
            List<String> fields = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.add(field.getKey() + ": " + flow(field.getValue()));
            }
            return "{" + String.join(", ", fields) + "}";
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                items.add(flow(item));
            }
            return "[" + String.join(", ", items) + "]";
        }
        return node.isTextual()
                ? new ObjectMapper().writeValueAsString(node.asText())
                : node.asText();
    }

    /** Everything written, in order. */
    public List<Written> written() {
        List<Written> all = new ArrayList<>();
        slots.values().forEach(m -> all.addAll(m.values()));
        return all;
    }
}
