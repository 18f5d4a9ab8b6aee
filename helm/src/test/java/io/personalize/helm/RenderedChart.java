package io.personalize.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
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

    /** The two kinds of Flink pods, with their field in the FlinkDeployment's spec. */
    enum Role {
        JOB_MANAGER("jobManager"),
        TASK_MANAGER("taskManager");

        final String specField;

        Role(String specField) {
            this.specField = specField;
        }
    }

    /**
     * Renders the chart with its defaults, overlaid with {@code valuesFile} when not null, then
     * with {@code overrides} ({@code --set ...} arguments; {@link #values()} does not show them).
     */
    static RenderedChart render(Helm helm, String valuesFile, String... overrides) {
        List<String> args = new ArrayList<>(List.of("template", RELEASE, "."));
        if (valuesFile != null) {
            args.addAll(List.of("--values", valuesFile));
        }
        args.addAll(List.of(overrides));
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

    /** The FlinkDeployment's flinkConfiguration. */
    JsonNode flinkConfiguration() {
        return only("FlinkDeployment").at("/spec/flinkConfiguration");
    }

    /**
     * The pod template of one role as the operator hands it to Flink, and Flink completes it: the
     * FlinkDeployment's {@code spec.podTemplate} with {@code spec.<role>.podTemplate} merged over
     * it the way the operator's {@code FlinkUtils.mergePodTemplates} does (maps key by key, lists
     * by their items' names when {@code kubernetes.operator.pod-template.merge-arrays-by-name} is
     * true and every item has one, else by position), and the requests and limits Flink's
     * decorators give {@code flink-main-container} from {@code spec.<role>.resource} (cpu and
     * memory, limit factors 1). What the operator and Flink add besides (their ConfigMap volumes,
     * ports, env) is neither privileged nor host-bound.
     */
    JsonNode pod(Role role) {
        JsonNode spec = only("FlinkDeployment").path("spec");
        ObjectNode pod =
                spec.path("podTemplate").isObject()
                        ? (ObjectNode) spec.path("podTemplate").deepCopy()
                        : YAML.createObjectNode();
        JsonNode rolePod = spec.path(role.specField).path("podTemplate");
        if (rolePod.isObject()) {
            boolean byName =
                    "true"
                            .equals(
                                    flinkConfiguration()
                                            .path(
                                                    "kubernetes.operator.pod-template.merge-arrays-by-name")
                                            .asText());
            mergeInto(pod, rolePod, byName);
        }
        ObjectNode podSpec = pod.has("spec") ? (ObjectNode) pod.get("spec") : pod.putObject("spec");
        ArrayNode containers =
                podSpec.has("containers")
                        ? (ArrayNode) podSpec.get("containers")
                        : podSpec.putArray("containers");
        ObjectNode main = null;
        for (JsonNode container : containers) {
            if ("flink-main-container".equals(container.path("name").asText())) {
                main = (ObjectNode) container;
            }
        }
        if (main == null) {
            main = containers.addObject().put("name", "flink-main-container");
        }
        JsonNode resource = spec.path(role.specField).path("resource");
        ObjectNode resources =
                main.has("resources")
                        ? (ObjectNode) main.get("resources")
                        : main.putObject("resources");
        for (String bound : List.of("requests", "limits")) {
            ObjectNode quantities =
                    resources.has(bound)
                            ? (ObjectNode) resources.get(bound)
                            : resources.putObject(bound);
            quantities.put("cpu", resource.path("cpu").asText());
            quantities.put("memory", resource.path("memory").asText());
        }
        return pod;
    }

    /** The operator's {@code FlinkUtils.mergeInto}: {@code from} over {@code to}, in place. */
    static void mergeInto(JsonNode to, JsonNode from, boolean mergeArraysByName) {
        Iterator<String> names = from.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode toChild = to.get(name);
            JsonNode fromChild = from.get(name);
            if (toChild != null && toChild.isArray() && fromChild.isArray()) {
                mergeArray((ArrayNode) toChild, (ArrayNode) fromChild, mergeArraysByName);
            } else if (toChild != null && toChild.isObject()) {
                mergeInto(toChild, fromChild, mergeArraysByName);
            } else if (to instanceof ObjectNode object) {
                object.replace(name, fromChild.deepCopy());
            }
        }
    }

    private static void mergeArray(ArrayNode to, ArrayNode from, boolean mergeArraysByName) {
        if (mergeArraysByName && namesDefined(to) && namesDefined(from)) {
            Map<String, JsonNode> merged = new LinkedHashMap<>();
            to.forEach(item -> merged.put(item.get("name").asText(), item));
            from.forEach(
                    item ->
                            merged.merge(
                                    item.get("name").asText(),
                                    item.deepCopy(),
                                    (existing, added) -> {
                                        mergeInto(existing, added, true);
                                        return existing;
                                    }));
            to.removeAll();
            merged.values().forEach(to::add);
        } else {
            for (int i = 0; i < from.size(); i++) {
                if (to.size() <= i) {
                    to.add(from.get(i).deepCopy());
                }
                mergeInto(to.get(i), from.get(i), mergeArraysByName);
            }
        }
    }

    private static boolean namesDefined(ArrayNode items) {
        for (JsonNode item : items) {
            if (!item.has("name")) {
                return false;
            }
        }
        return true;
    }
}
