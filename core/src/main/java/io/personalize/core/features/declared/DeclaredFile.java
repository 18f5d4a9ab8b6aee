package io.personalize.core.features.declared;

import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.FeatureType;
import io.personalize.core.flows.FlowDurations;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The structure of a declared-features file, read with the position of every node: {@code version}
 * and {@code features}, each feature's fields checked for its kind. CEL is compiled later ({@link
 * DeclaredFeaturesCompiler}); here a problem is a field that is missing, unknown, or of the wrong
 * form.
 */
record DeclaredFile(long version, List<Entry> entries) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern PATH =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Set<String> RESERVED =
            Set.of(DeclaredCel.EVENT, "as_of", "in", "null", "true", "false");
    private static final Set<String> COMMON = Set.of("name", "kind", "type", "description", "unit");
    private static final Map<DeclaredKind, Set<String>> FIELDS =
            Map.of(
                    DeclaredKind.PROFILE, Set.of("path", "default", "max_age"),
                    DeclaredKind.WINDOW, Set.of("aggregate", "where", "value", "window"),
                    DeclaredKind.DERIVED, Set.of("expression", "default"));
    private static final Map<String, FeatureType> TYPES =
            Map.of(
                    "string", FeatureType.STRING,
                    "number", FeatureType.DOUBLE,
                    "integer", FeatureType.LONG,
                    "boolean", FeatureType.BOOLEAN,
                    "date", FeatureType.TIMESTAMP,
                    "string_list", FeatureType.STRING_LIST);

    /** One feature with the nodes of its fields (for positions). */
    record Entry(DeclaredFeature feature, Map<String, Node> nodes) {
        Node node(String field) {
            return nodes.get(field);
        }
    }

    static DeclaredFile read(String yaml, FeatureRegistry base, List<FeatureProblem> problems) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported below, with their position
            root = new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            problems.add(
                    new FeatureProblem(
                            "*", mark.getLine() + 1, mark.getColumn() + 1, e.getProblem()));
            return new DeclaredFile(0, List.of());
        } catch (YAMLException e) {
            problems.add(new FeatureProblem("*", 0, 0, e.getMessage()));
            return new DeclaredFile(0, List.of());
        }
        if (!(root instanceof MappingNode mapping)) {
            problems.add(
                    new FeatureProblem(
                            "*",
                            1,
                            1,
                            "not a declared-features file: expected version and features"));
            return new DeclaredFile(0, List.of());
        }
        Map<String, Node> top = fields(mapping, "*", Set.of("version", "features"), problems);
        long version = 0;
        if (top.get("version") instanceof ScalarNode v) {
            try {
                version = Long.parseLong(v.getValue());
            } catch (NumberFormatException e) {
                problems.add(
                        at("*", v, "version must be a whole number, not '" + v.getValue() + "'"));
            }
        }
        List<Entry> entries = new ArrayList<>();
        Node features = top.get("features");
        if (features == null) {
            return new DeclaredFile(version, entries);
        }
        if (!(features instanceof SequenceNode list)) {
            problems.add(at("*", features, "features must be a list"));
            return new DeclaredFile(version, entries);
        }
        Set<String> names = new HashSet<>();
        for (Node item : list.getValue()) {
            Entry entry = entry(item, base, names, problems);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return new DeclaredFile(version, entries);
    }

    /** One feature; null when it has a problem that leaves nothing to check further. */
    private static Entry entry(
            Node item, FeatureRegistry base, Set<String> names, List<FeatureProblem> problems) {
        if (!(item instanceof MappingNode mapping)) {
            problems.add(at("*", item, "a feature must be a mapping of its fields"));
            return null;
        }
        Map<String, Node> nodes = fields(mapping, "?", null, problems);
        String name = text(nodes.get("name"));
        if (name == null || name.isBlank()) {
            problems.add(at("?", item, "missing name"));
            return null;
        }
        int before = problems.size();
        Node nameNode = nodes.get("name");
        if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
            problems.add(
                    at(
                            name,
                            nameNode,
                            "a name is lower case letters, digits and _, starting with a letter, and not a reserved word"));
        } else if (base.get(name).isPresent()) {
            problems.add(
                    at(name, nameNode, "name clashes with the built-in feature '" + name + "'"));
        } else if (!names.add(name)) {
            problems.add(at(name, nameNode, "duplicate name"));
        }
        boolean nameRefused = problems.size() > before;
        String kindName = text(nodes.get("kind"));
        DeclaredKind kind = DeclaredKind.fromYaml(kindName);
        if (kindName == null) {
            problems.add(at(name, item, "missing kind (profile, window or derived)"));
            return null;
        }
        if (kind == null) {
            problems.add(
                    at(
                            name,
                            nodes.get("kind"),
                            "unknown kind '" + kindName + "' (profile, window or derived)"));
            return null;
        }
        Set<String> allowed = new HashSet<>(COMMON);
        allowed.addAll(FIELDS.get(kind));
        for (NodeTuple tuple : mapping.getValue()) {
            String field = text(tuple.getKeyNode());
            if (field != null && !allowed.contains(field)) {
                problems.add(
                        at(
                                name,
                                tuple.getKeyNode(),
                                "unknown field '"
                                        + field
                                        + "' for a "
                                        + kind.yamlName()
                                        + " feature"));
            }
        }
        DeclaredFeature feature =
                switch (kind) {
                    case PROFILE -> profile(name, nodes, item, problems);
                    case WINDOW -> window(name, nodes, item, problems);
                    case DERIVED -> derived(name, nodes, item, problems);
                };
        // a feature whose name is refused is not compiled: it would clash in the registry
        return feature == null || nameRefused ? null : new Entry(feature, nodes);
    }

    private static DeclaredFeature profile(
            String name, Map<String, Node> nodes, Node item, List<FeatureProblem> problems) {
        FeatureType type = type(name, nodes, item, true, problems);
        String path = text(nodes.get("path"));
        if (path == null) {
            problems.add(
                    at(
                            name,
                            item,
                            "missing path (into the profile object, e.g. attributes.contract_type)"));
        } else if (!PATH.matcher(path).matches()) {
            problems.add(
                    at(
                            name,
                            nodes.get("path"),
                            "path must be field names separated by dots, not '" + path + "'"));
        }
        Duration maxAge = duration(name, nodes.get("max_age"), "max_age", problems);
        if (type == null || path == null) {
            return null;
        }
        Object defaultValue =
                DeclaredValues.defaultValue(name, nodes.get("default"), type, problems);
        return new DeclaredFeature(
                name,
                DeclaredKind.PROFILE,
                type,
                text(nodes.get("description")),
                text(nodes.get("unit")),
                Arrays.asList(path.split("\\.")),
                defaultValue,
                maxAge,
                null,
                null,
                null,
                null,
                null);
    }

    private static DeclaredFeature window(
            String name, Map<String, Node> nodes, Node item, List<FeatureProblem> problems) {
        String aggregateName = text(nodes.get("aggregate"));
        Aggregate aggregate = Aggregate.fromYaml(aggregateName);
        if (aggregateName == null) {
            problems.add(
                    at(
                            name,
                            item,
                            "missing aggregate (count, sum, min, max, average, distinct_count, last)"));
        } else if (aggregate == null) {
            problems.add(
                    at(
                            name,
                            nodes.get("aggregate"),
                            "unknown aggregate '"
                                    + aggregateName
                                    + "' (count, sum, min, max, average, distinct_count, last)"));
        }
        FeatureType declared =
                nodes.containsKey("type") ? type(name, nodes, item, false, problems) : null;
        if (aggregate == Aggregate.LAST && !nodes.containsKey("type")) {
            problems.add(
                    at(
                            name,
                            item,
                            "missing type (string, number or boolean): the type of the last value"));
        } else if (aggregate == Aggregate.LAST
                && declared != null
                && declared != FeatureType.STRING
                && declared != FeatureType.DOUBLE
                && declared != FeatureType.BOOLEAN) {
            problems.add(
                    at(name, nodes.get("type"), "the last value is a string, number or boolean"));
            declared = null;
        } else if (aggregate != null
                && aggregate != Aggregate.LAST
                && declared != null
                && declared != aggregate.resultType(null)) {
            problems.add(
                    at(
                            name,
                            nodes.get("type"),
                            aggregate.yamlName()
                                    + " is "
                                    + typeName(aggregate.resultType(null))
                                    + ", not "
                                    + text(nodes.get("type"))));
        }
        if (text(nodes.get("where")) == null) {
            problems.add(
                    at(
                            name,
                            item,
                            "missing where (a CEL predicate on the event, e.g. event.event_type == 'custom')"));
        }
        String value = text(nodes.get("value"));
        if (aggregate != null && aggregate.needsValue() && value == null) {
            problems.add(
                    at(
                            name,
                            item,
                            aggregate.yamlName()
                                    + " needs a value (a CEL expression on the event)"));
        } else if (aggregate == Aggregate.COUNT && value != null) {
            problems.add(at(name, nodes.get("value"), "count takes no value"));
        }
        Node windowNode = nodes.get("window");
        Duration window = duration(name, windowNode, "window", problems);
        if (windowNode == null) {
            problems.add(at(name, item, "missing window (a duration, e.g. 90d)"));
        }
        // a bad window is reported; the expressions are still checked (the file is refused anyway)
        if (aggregate == null || (aggregate == Aggregate.LAST && declared == null)) {
            return null;
        }
        return new DeclaredFeature(
                name,
                DeclaredKind.WINDOW,
                aggregate.resultType(declared),
                text(nodes.get("description")),
                text(nodes.get("unit")),
                null,
                zeroOf(aggregate),
                null,
                aggregate,
                text(nodes.get("where")),
                value,
                window,
                null);
    }

    /**
     * Counts and sums are 0 over no events (never missing); the other aggregates have no default.
     */
    private static Object zeroOf(Aggregate aggregate) {
        return switch (aggregate) {
            case COUNT, DISTINCT_COUNT -> 0L;
            case SUM -> 0.0;
            default -> null;
        };
    }

    private static DeclaredFeature derived(
            String name, Map<String, Node> nodes, Node item, List<FeatureProblem> problems) {
        FeatureType type = type(name, nodes, item, true, problems);
        String expression = text(nodes.get("expression"));
        if (expression == null) {
            problems.add(at(name, item, "missing expression (CEL over other features)"));
        }
        if (type == null || expression == null) {
            return null;
        }
        Object defaultValue =
                DeclaredValues.defaultValue(name, nodes.get("default"), type, problems);
        return new DeclaredFeature(
                name,
                DeclaredKind.DERIVED,
                type,
                text(nodes.get("description")),
                text(nodes.get("unit")),
                null,
                defaultValue,
                null,
                null,
                null,
                null,
                null,
                expression);
    }

    private static FeatureType type(
            String name,
            Map<String, Node> nodes,
            Node item,
            boolean required,
            List<FeatureProblem> problems) {
        String typeName = text(nodes.get("type"));
        if (typeName == null) {
            if (required) {
                problems.add(
                        at(
                                name,
                                item,
                                "missing type ("
                                        + String.join(
                                                ", ", TYPES.keySet().stream().sorted().toList())
                                        + ")"));
            }
            return null;
        }
        FeatureType type = TYPES.get(typeName);
        if (type == null) {
            problems.add(
                    at(
                            name,
                            nodes.get("type"),
                            "unknown type '"
                                    + typeName
                                    + "' ("
                                    + String.join(", ", TYPES.keySet().stream().sorted().toList())
                                    + ")"));
        }
        return type;
    }

    /** The file's name of a feature type. */
    static String typeName(FeatureType type) {
        return TYPES.entrySet().stream()
                .filter(e -> e.getValue() == type)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(type.name());
    }

    private static Duration duration(
            String name, Node node, String field, List<FeatureProblem> problems) {
        if (node == null) {
            return null;
        }
        String text = text(node);
        Duration duration = text == null ? null : FlowDurations.parse(text).orElse(null);
        if (duration == null || duration.isNegative() || duration.isZero()) {
            problems.add(
                    at(
                            name,
                            node,
                            field
                                    + " must be a positive duration (e.g. 90d, 12h, P7D), not '"
                                    + (text == null ? node.getNodeId() : text)
                                    + "'"));
            return null;
        }
        return duration;
    }

    /**
     * A mapping's fields by name; duplicates and (when {@code allowed} is given) unknown ones are
     * problems.
     */
    private static Map<String, Node> fields(
            MappingNode mapping,
            String feature,
            Set<String> allowed,
            List<FeatureProblem> problems) {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = text(tuple.getKeyNode());
            if (key == null) {
                problems.add(at(feature, tuple.getKeyNode(), "a field name must be text"));
            } else if (fields.containsKey(key)) {
                problems.add(at(feature, tuple.getKeyNode(), "duplicate field '" + key + "'"));
            } else if (allowed != null && !allowed.contains(key)) {
                problems.add(at(feature, tuple.getKeyNode(), "unknown field '" + key + "'"));
            } else {
                fields.put(key, tuple.getValueNode());
            }
        }
        return fields;
    }

    static String text(Node node) {
        return node instanceof ScalarNode scalar
                        && !"null"
                                .equals(
                                        scalar.getTag()
                                                .getValue()
                                                .replace("tag:yaml.org,2002:", ""))
                ? scalar.getValue()
                : null;
    }

    static FeatureProblem at(String feature, Node node, String message) {
        return node == null
                ? new FeatureProblem(feature, 0, 0, message)
                : new FeatureProblem(
                        feature, YamlPositions.line(node), YamlPositions.column(node), message);
    }
}
