package io.personalize.core.features.declared;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.FeatureType;
import io.personalize.core.segments.CelEnvironment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Checks a declared-features file and compiles its CEL. Refuses it with every problem listed, each
 * at its position in the file ({@link FeatureValidationException}): YAML that does not parse, an
 * unknown field, kind, type or aggregate, a missing or duplicate name, a name of a built-in
 * feature, a window or max age that is not a duration, a default of the wrong type, a CEL
 * expression with an unknown function or variable or a type error, and a cycle between derived
 * features.
 */
public final class DeclaredFeaturesCompiler {
    private final FeatureRegistry base;

    public DeclaredFeaturesCompiler(FeatureRegistry base) {
        this.base = base;
    }

    /** Against {@link FeatureRegistry#standard()}: declared names must not be built-in ones. */
    public static DeclaredFeaturesCompiler standard() {
        return new DeclaredFeaturesCompiler(FeatureRegistry.standard());
    }

    /** Checks and compiles the YAML text. */
    public DeclaredFeatures compile(String yaml) throws FeatureValidationException {
        List<FeatureProblem> problems = new ArrayList<>();
        YamlPositions positions = new YamlPositions(yaml);
        DeclaredFile file = DeclaredFile.read(yaml, base, problems);
        List<DeclaredFile.Entry> entries = file.entries();
        FeatureRegistry registry =
                base.with(entries.stream().map(DeclaredFile.Entry::feature).toList());
        Map<String, Set<String>> derivedReferences = new LinkedHashMap<>();
        Map<String, Node> expressionNodes = new HashMap<>();
        for (DeclaredFile.Entry entry : entries) {
            DeclaredFeature f = entry.feature();
            switch (f.kind()) {
                case WINDOW -> {
                    check(entry, "where", eventCompiler(SimpleType.BOOL), positions, problems);
                    if (f.value() != null) {
                        CelAbstractSyntaxTree value =
                                check(
                                        entry,
                                        "value",
                                        eventCompiler(SimpleType.DYN),
                                        positions,
                                        problems);
                        checkValueType(entry, value, problems);
                    }
                }
                case DERIVED -> {
                    CelAbstractSyntaxTree ast =
                            check(
                                    entry,
                                    "expression",
                                    DeclaredCel.featureCompiler(
                                            registry, CelEnvironment.celType(f.type())),
                                    positions,
                                    problems);
                    if (ast != null) {
                        derivedReferences.put(f.name(), CelReferences.identifiers(ast));
                        expressionNodes.put(f.name(), entry.node("expression"));
                    }
                }
                case PROFILE -> {}
            }
        }
        List<String> derivedOrder =
                DerivedOrder.of(
                        derivedReferences,
                        (from, cycle) -> {
                            Node at = expressionNodes.get(from);
                            problems.add(
                                    new FeatureProblem(
                                            from,
                                            YamlPositions.line(at),
                                            YamlPositions.column(at),
                                            "cycle between derived features: "
                                                    + String.join(" -> ", cycle)));
                        });
        if (!problems.isEmpty()) {
            throw new FeatureValidationException(problems);
        }
        return new DeclaredFeatures(file.version(), ordered(entries, derivedOrder), yaml);
    }

    /** Profile attributes and windows in file order, then derived features in dependency order. */
    private static List<DeclaredFeature> ordered(
            List<DeclaredFile.Entry> entries, List<String> derivedOrder) {
        List<DeclaredFeature> features = new ArrayList<>();
        Map<String, DeclaredFeature> derived = new LinkedHashMap<>();
        for (DeclaredFile.Entry entry : entries) {
            if (entry.feature().kind() == DeclaredKind.DERIVED) {
                derived.put(entry.feature().name(), entry.feature());
            } else {
                features.add(entry.feature());
            }
        }
        derivedOrder.forEach(name -> features.add(derived.get(name)));
        return features;
    }

    private static CelCompiler eventCompiler(CelType result) {
        return DeclaredCel.eventCompiler(result);
    }

    /** Compiles one CEL field of an entry; its problems at their positions in the file. */
    private static CelAbstractSyntaxTree check(
            DeclaredFile.Entry entry,
            String field,
            CelCompiler compiler,
            YamlPositions positions,
            List<FeatureProblem> problems) {
        Node node = entry.node(field);
        if (!(node instanceof ScalarNode scalar)) {
            return null;
        }
        CelValidationResult result = compiler.compile(scalar.getValue());
        if (result.hasError()) {
            for (CelIssue issue : result.getErrors()) {
                int[] at = positions.of(scalar, issue.getSourceLocation());
                problems.add(
                        new FeatureProblem(
                                entry.feature().name(),
                                at[0],
                                at[1],
                                field + ": " + issue.getMessage()));
            }
            return null;
        }
        try {
            return result.getAst();
        } catch (CelValidationException e) {
            throw new IllegalStateException(e); // no errors were reported
        }
    }

    /** A value's CEL type must fit the aggregate: numbers to sum, the declared type to keep. */
    private static void checkValueType(
            DeclaredFile.Entry entry, CelAbstractSyntaxTree value, List<FeatureProblem> problems) {
        if (value == null) {
            return;
        }
        DeclaredFeature f = entry.feature();
        CelKind kind = value.getResultType().kind();
        boolean fits =
                switch (f.aggregate()) {
                    case SUM, MIN, MAX, AVERAGE -> number(kind);
                    case DISTINCT_COUNT -> kind != CelKind.LIST && kind != CelKind.MAP;
                    case LAST ->
                            f.type() == FeatureType.STRING
                                    ? kind == CelKind.STRING || kind == CelKind.DYN
                                    : f.type() == FeatureType.BOOLEAN
                                            ? kind == CelKind.BOOL || kind == CelKind.DYN
                                            : number(kind);
                    case COUNT -> true;
                };
        if (!fits) {
            Node at = entry.node("value");
            problems.add(
                    new FeatureProblem(
                            f.name(),
                            YamlPositions.line(at),
                            YamlPositions.column(at),
                            "value: type error: "
                                    + f.aggregate().yamlName()
                                    + " needs "
                                    + (f.aggregate() == Aggregate.LAST
                                            ? f.type().name().toLowerCase(java.util.Locale.ROOT)
                                            : "a number")
                                    + ", the expression is "
                                    + value.getResultType().name()));
        }
    }

    private static boolean number(CelKind kind) {
        return kind == CelKind.INT
                || kind == CelKind.UINT
                || kind == CelKind.DOUBLE
                || kind == CelKind.DYN;
    }
}
