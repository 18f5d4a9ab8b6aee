package io.personalize.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The manifests {@code helm template} printed, parsed, and the values they were rendered from.
 *
 * <pre>{@code
 * RenderedChart chart = RenderedChart.render(helm, "ci/production-values.yaml");
 * JsonNode deployment = chart.only("FlinkDeployment");
 * }</pre>
 */
record RenderedChart(List<JsonNode> manifests, JsonNode values) {
    static final YAMLMapper YAML = new YAMLMapper();
    static final String RELEASE = "personalize";

    /** Renders the chart with its defaults, overlaid with {@code valuesFile} when not null. */
    static RenderedChart render(Helm helm, String valuesFile) {
        List<String> args = new ArrayList<>(List.of("template", RELEASE, "."));
        if (valuesFile != null) {
            args.addAll(List.of("--values", valuesFile));
        }
        String output = helm.run(args.toArray(String[]::new));
        JsonNode values = read(Helm.chart().resolve("values.yaml"));
        if (valuesFile != null) {
            values = merge(values.deepCopy(), read(Helm.chart().resolve(valuesFile)));
        }
        return new RenderedChart(parseAll(output), values);
    }

    static List<JsonNode> parseAll(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && document.isObject() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("helm template printed invalid YAML", e);
        }
        return documents;
    }

    static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Helm's merge of a values file over the defaults: maps merge, anything else replaces. */
    static JsonNode merge(JsonNode base, JsonNode overlay) {
        if (!(base instanceof ObjectNode target) || !overlay.isObject()) {
            return overlay;
        }
        for (Map.Entry<String, JsonNode> field : overlay.properties()) {
            JsonNode existing = target.get(field.getKey());
            target.set(
                    field.getKey(),
                    existing == null ? field.getValue() : merge(existing, field.getValue()));
        }
        return target;
    }

    List<JsonNode> ofKind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
    }

    JsonNode only(String kind) {
        List<JsonNode> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", rendered " + found.size());
        }
        return found.get(0);
    }

    Optional<JsonNode> named(String kind, String name) {
        return ofKind(kind).stream()
                .filter(m -> name.equals(m.path("metadata").path("name").asText()))
                .findFirst();
    }

    /** The Flink container of the FlinkDeployment's pod template. */
    JsonNode flinkContainer() {
        for (JsonNode container :
                only("FlinkDeployment")
                        .path("spec")
                        .path("podTemplate")
                        .path("spec")
                        .path("containers")) {
            if ("flink-main-container".equals(container.path("name").asText())) {
                return container;
            }
        }
        throw new AssertionError("the pod template has no flink-main-container");
    }

    JsonNode podSpec() {
        return only("FlinkDeployment").path("spec").path("podTemplate").path("spec");
    }
}
