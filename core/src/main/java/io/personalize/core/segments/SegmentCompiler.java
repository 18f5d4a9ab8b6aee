package io.personalize.core.segments;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSource;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles and type-checks segment definitions with CEL against the feature registry. Refuses a
 * file with every problem listed ({@link SegmentValidationException}): an unknown feature, a type
 * error, a non-boolean rule, a reference to an unknown segment, a cycle of {@code in_segment}
 * references, and duplicate ids; each names the segment and, where it has one, the position in the
 * rule.
 *
 * <p>Rules may read champion scores ({@code score('m')}, {@code score_of('m', 'label')}, {@code
 * score_label('m')}, with a literal model name, checked against known models when given {@link
 * #withModels}). A rule that reads a score, itself or through {@code in_segment} of one that does,
 * is a <em>score segment</em>, evaluated in the scoring stage; the others are <em>base
 * segments</em>, evaluated before scoring. A score segment cannot call {@code viewed_product} (view
 * times stay in the customer stage), and a rule that calls it stays a base segment, so it may not
 * reference a score segment: both are refused with a message naming the segments.
 */
public final class SegmentCompiler {

    private final FeatureRegistry registry;
    private final CelEnvironment environment;
    private final Set<String> models;

    public SegmentCompiler(FeatureRegistry registry) {
        this(registry, new CelEnvironment(registry), null);
    }

    private SegmentCompiler(
            FeatureRegistry registry, CelEnvironment environment, Set<String> models) {
        this.registry = registry;
        this.environment = environment;
        this.models = models == null ? null : Set.copyOf(models);
    }

    /** This compiler, checking the model names of score functions against these (null: not). */
    public SegmentCompiler withModels(Set<String> modelNames) {
        return new SegmentCompiler(registry, environment, modelNames);
    }

    /** Compiles against {@link FeatureRegistry#standard()}. */
    public static SegmentCompiler standard() {
        return new SegmentCompiler(FeatureRegistry.standard());
    }

    /** Parses and compiles YAML text; a malformed file is one problem of segment {@code *}. */
    public CompiledSegments compile(String yaml) throws SegmentValidationException {
        SegmentDefinitions definitions;
        try {
            definitions = SegmentDefinitions.parse(yaml);
        } catch (IllegalArgumentException e) {
            throw new SegmentValidationException(
                    List.of(new SegmentProblem("*", 0, 0, e.getMessage())));
        }
        return compile(definitions);
    }

    public CompiledSegments compile(SegmentDefinitions definitions)
            throws SegmentValidationException {
        List<SegmentProblem> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (SegmentDefinition d : definitions.segments()) {
            if (d.id() == null || d.id().isBlank()) {
                problems.add(new SegmentProblem(String.valueOf(d.id()), 0, 0, "missing id"));
            } else if (!ids.add(d.id())) {
                problems.add(new SegmentProblem(d.id(), 0, 0, "duplicate id"));
            }
        }
        Map<String, CelAbstractSyntaxTree> asts = new LinkedHashMap<>();
        Map<String, RuleTiming> timings = new LinkedHashMap<>();
        Map<String, List<Reference>> references = new LinkedHashMap<>();
        Map<String, Calls> calls = new LinkedHashMap<>();
        for (SegmentDefinition d : definitions.segments()) {
            if (d.rule() == null || d.rule().isBlank()) {
                problems.add(new SegmentProblem(d.id(), 0, 0, "missing rule"));
                continue;
            }
            CelValidationResult result = environment.compiler().compile(d.rule());
            if (result.hasError()) {
                for (CelIssue issue : result.getErrors()) {
                    problems.add(problem(d.id(), issue.getSourceLocation(), issue.getMessage()));
                }
                continue;
            }
            CelAbstractSyntaxTree ast = ast(result);
            checkDurationLiterals(d.id(), ast, problems);
            RuleTiming timing =
                    RuleTimingAnalysis.analyze(
                            d.id(),
                            CelNavigableAst.fromAst(ast).getRoot(),
                            registry,
                            (segment, exprId, message) ->
                                    problems.add(
                                            problem(
                                                    segment,
                                                    location(ast.getSource(), exprId),
                                                    message)));
            List<Reference> refs = segmentReferences(d.id(), ast, ids, problems);
            Calls called = scoreCalls(d.id(), ast, problems);
            if (!asts.containsKey(d.id())) {
                asts.put(d.id(), ast);
                timings.put(d.id(), timing);
                references.put(d.id(), refs);
                calls.put(d.id(), called);
            }
        }
        Map<String, List<String>> edges = new LinkedHashMap<>();
        references.forEach(
                (id, refs) -> edges.put(id, refs.stream().map(Reference::target).toList()));
        SegmentGraph graph = new SegmentGraph(edges);
        for (List<String> cycle : graph.cycles()) {
            String from = cycle.get(0);
            Reference ref =
                    references.get(from).stream()
                            .filter(r -> r.target().equals(cycle.get(1)))
                            .findFirst()
                            .orElseThrow();
            problems.add(
                    new SegmentProblem(
                            from,
                            ref.line(),
                            ref.column(),
                            "cycle of in_segment references: " + String.join(" -> ", cycle)));
        }
        if (!problems.isEmpty()) {
            throw new SegmentValidationException(problems);
        }
        Set<String> scoreSegments = scoreSegments(graph.dependencyOrder(), edges, calls);
        checkStages(references, calls, scoreSegments, problems);
        if (!problems.isEmpty()) {
            throw new SegmentValidationException(problems);
        }
        Map<String, SegmentDefinition> byId = new LinkedHashMap<>();
        definitions.segments().forEach(d -> byId.put(d.id(), d));
        List<CompiledRule> rules = new ArrayList<>();
        for (String id : graph.dependencyOrder()) {
            CelAbstractSyntaxTree ast = asts.get(id);
            Set<String> variables = variables(ast);
            rules.add(
                    new CompiledRule(
                            byId.get(id),
                            program(ast),
                            variables,
                            inputs(variables, ast),
                            edges.get(id),
                            timings.get(id),
                            calls.get(id).models(),
                            scoreSegments.contains(id)));
        }
        return new CompiledSegments(registry, definitions, rules);
    }

    private static CelAbstractSyntaxTree ast(CelValidationResult result) {
        try {
            return result.getAst();
        } catch (CelValidationException e) {
            throw new IllegalStateException("checked rule without an AST", e);
        }
    }

    private dev.cel.runtime.CelRuntime.Program program(CelAbstractSyntaxTree ast) {
        try {
            return environment.runtime().createProgram(ast);
        } catch (dev.cel.common.CelException e) {
            throw new IllegalStateException("cannot plan a checked rule", e);
        }
    }

    /** The variables (features, {@code as_of}) a rule reads. */
    private Set<String> variables(CelAbstractSyntaxTree ast) {
        Set<String> names = new java.util.TreeSet<>();
        CelNavigableAst.fromAst(ast)
                .getRoot()
                .allNodes()
                .filter(n -> n.getKind() == CelExpr.ExprKind.Kind.IDENT)
                .map(n -> n.expr().ident().name())
                .filter(n -> n.equals(CelEnvironment.AS_OF) || registry.get(n).isPresent())
                .forEach(names::add); // not macro variables such as p in exists(p, ...)
        return names;
    }

    /** The features that decide a rule: its feature variables, and affinity when it calls it. */
    private List<FeatureDefinition> inputs(Set<String> variables, CelAbstractSyntaxTree ast) {
        Set<String> names = new java.util.TreeSet<>(variables);
        boolean callsAffinity =
                CelNavigableAst.fromAst(ast)
                        .getRoot()
                        .allNodes()
                        .filter(n -> n.getKind() == CelExpr.ExprKind.Kind.CALL)
                        .anyMatch(
                                n ->
                                        n.expr()
                                                .call()
                                                .function()
                                                .equals(CelEnvironment.CATEGORY_AFFINITY));
        if (callsAffinity) {
            names.add("category_affinity");
        }
        List<FeatureDefinition> inputs = new ArrayList<>();
        for (String name : names) {
            registry.get(name).ifPresent(inputs::add);
        }
        return inputs;
    }

    /** The in_segment calls of a rule; problems for non-literal or unknown targets. */
    private static List<Reference> segmentReferences(
            String id, CelAbstractSyntaxTree ast, Set<String> ids, List<SegmentProblem> problems) {
        List<Reference> refs = new ArrayList<>();
        CelSource source = ast.getSource();
        List<CelNavigableExpr> calls =
                CelNavigableAst.fromAst(ast)
                        .getRoot()
                        .allNodes()
                        .filter(n -> n.getKind() == CelExpr.ExprKind.Kind.CALL)
                        .filter(n -> n.expr().call().function().equals(CelEnvironment.IN_SEGMENT))
                        .toList();
        for (CelNavigableExpr call : calls) {
            CelExpr arg = call.expr().call().args().get(0);
            CelSourceLocation at = location(source, arg.id());
            if (arg.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                    || arg.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
                problems.add(problem(id, at, "in_segment needs a literal segment id"));
                continue;
            }
            String target = arg.constant().stringValue();
            if (!ids.contains(target)) {
                problems.add(problem(id, at, "unknown segment '" + target + "' in in_segment"));
                continue;
            }
            refs.add(new Reference(target, at.getLine(), at.getColumn() + 1));
        }
        return refs;
    }

    /**
     * The segments that read a score, themselves or through a segment they reference; {@code order}
     * has every segment after the ones it references.
     */
    private static Set<String> scoreSegments(
            List<String> order, Map<String, List<String>> edges, Map<String, Calls> calls) {
        Set<String> scored = new HashSet<>();
        for (String id : order) {
            if (!calls.get(id).models().isEmpty()
                    || edges.get(id).stream().anyMatch(scored::contains)) {
                scored.add(id);
            }
        }
        return scored;
    }

    /**
     * A score segment is evaluated in the scoring stage, which has no view times: it cannot call
     * {@code viewed_product}; a rule that calls it is evaluated before scoring, so it cannot read a
     * score segment.
     */
    private static void checkStages(
            Map<String, List<Reference>> references,
            Map<String, Calls> calls,
            Set<String> scoreSegments,
            List<SegmentProblem> problems) {
        for (Map.Entry<String, Calls> e : calls.entrySet()) {
            String id = e.getKey();
            Calls called = e.getValue();
            if (called.viewedProduct() == null) {
                continue;
            }
            if (!called.models().isEmpty()) {
                problems.add(
                        new SegmentProblem(
                                id,
                                called.viewedProduct().line(),
                                called.viewedProduct().column(),
                                "viewed_product in a score segment: score segments are evaluated"
                                        + " in the scoring stage, where view times are not kept"));
                continue;
            }
            for (Reference ref : references.get(id)) {
                if (scoreSegments.contains(ref.target())) {
                    problems.add(
                            new SegmentProblem(
                                    id,
                                    ref.line(),
                                    ref.column(),
                                    "base segment '"
                                            + id
                                            + "' reads score segment '"
                                            + ref.target()
                                            + "': '"
                                            + id
                                            + "' calls viewed_product, so it is evaluated before"
                                            + " scoring, when '"
                                            + ref.target()
                                            + "' is not known yet"));
                }
            }
        }
    }

    /** The models a rule's score functions name (literals, known ones) and its viewed_product. */
    private Calls scoreCalls(String id, CelAbstractSyntaxTree ast, List<SegmentProblem> problems) {
        Set<String> read = new java.util.TreeSet<>();
        Reference viewed = null;
        CelSource source = ast.getSource();
        List<CelExpr.CelCall> found =
                CelNavigableAst.fromAst(ast)
                        .getRoot()
                        .allNodes()
                        .filter(n -> n.getKind() == CelExpr.ExprKind.Kind.CALL)
                        .map(n -> n.expr().call())
                        .toList();
        for (CelExpr.CelCall call : found) {
            String function = call.function();
            if (function.equals(CelEnvironment.VIEWED_PRODUCT) && viewed == null) {
                CelSourceLocation at = location(source, call.args().get(0).id());
                viewed = new Reference(function, at.getLine(), at.getColumn() + 1);
            }
            if (!CelEnvironment.SCORE_FUNCTIONS.contains(function)) {
                continue;
            }
            CelExpr arg = call.args().get(0);
            CelSourceLocation at = location(source, arg.id());
            if (arg.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                    || arg.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
                problems.add(problem(id, at, function + " needs a literal model name"));
                continue;
            }
            String model = arg.constant().stringValue();
            if (models != null && !models.contains(model)) {
                problems.add(
                        problem(
                                id,
                                at,
                                "unknown model '"
                                        + model
                                        + "' in "
                                        + function
                                        + " (known: "
                                        + String.join(", ", new java.util.TreeSet<>(models))
                                        + ")"));
                continue;
            }
            read.add(model);
        }
        return new Calls(read, viewed);
    }

    /** CEL durations take h, m, s, ms, us, ns; a bad literal (e.g. '7d') fails only at runtime. */
    private static void checkDurationLiterals(
            String id, CelAbstractSyntaxTree ast, List<SegmentProblem> problems) {
        CelNavigableAst.fromAst(ast)
                .getRoot()
                .allNodes()
                .filter(n -> n.getKind() == CelExpr.ExprKind.Kind.CALL)
                .map(n -> n.expr().call())
                .filter(c -> c.function().equals("duration") && c.args().size() == 1)
                .map(c -> c.args().get(0))
                .filter(a -> a.getKind() == CelExpr.ExprKind.Kind.CONSTANT)
                .filter(a -> a.constant().getKind() == CelConstant.Kind.STRING_VALUE)
                .filter(a -> !CelLiterals.DURATION.matcher(a.constant().stringValue()).matches())
                .forEach(
                        a ->
                                problems.add(
                                        problem(
                                                id,
                                                location(ast.getSource(), a.id()),
                                                "invalid duration '"
                                                        + a.constant().stringValue()
                                                        + "' (units h, m, s, ms, us, ns; 7 days"
                                                        + " is '168h')")));
    }

    private static CelSourceLocation location(CelSource source, long exprId) {
        Integer offset = source.getPositionsMap().get(exprId);
        return offset == null
                ? CelSourceLocation.NONE
                : source.getOffsetLocation(offset).orElse(CelSourceLocation.NONE);
    }

    /** CEL columns are 0-based; problems show 1-based columns, as CEL's own messages do. */
    private static SegmentProblem problem(String id, CelSourceLocation at, String message) {
        return new SegmentProblem(id, Math.max(at.getLine(), 0), at.getColumn() + 1, message);
    }

    private record Reference(String target, int line, int column) {}

    /** The models a rule reads scores of, and its first viewed_product call (null: none). */
    private record Calls(Set<String> models, Reference viewedProduct) {}
}
