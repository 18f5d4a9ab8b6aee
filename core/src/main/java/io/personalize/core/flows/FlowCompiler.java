package io.personalize.core.flows;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelException;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSource;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelRuntime;
import io.personalize.core.decisions.Trigger;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.segments.CelEnvironment;
import io.personalize.core.segments.SegmentDefinition;
import io.personalize.core.segments.SegmentDefinitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks flow definitions and compiles their CEL rules. Rules see what segment rules see (every
 * feature of the registry as a typed variable, {@code as_of}, {@code in_segment('id')}, {@code
 * category_affinity('category')}; not {@code viewed_product}: flows see no view times, use {@code
 * 'id' in recently_viewed_products}) plus the champion scores: {@code score('model') -> double},
 * {@code score_label('model') -> string} and, for classifiers, {@code score_of('model', 'label') ->
 * double} (the probability of one class; unknown when the score has no such class). Unlike segment
 * rules, {@code as_of} may be used freely (e.g. {@code as_of.getHours('Europe/Paris') >= 8}): flow
 * rules are evaluated when decided.
 *
 * <p>Refuses a file with every problem listed ({@link FlowValidationException}), each naming the
 * flow and the field: a missing or duplicate id; no trigger or more than one; an unknown pattern;
 * an unknown segment id (in a trigger or {@code in_segment}), when the compiler knows the segments;
 * an unknown model in {@code score}/{@code score_label}/{@code score_of}, when it knows the models;
 * a CEL error (unknown feature, type error, non-boolean rule, invalid duration literal) with its
 * position; an invalid or negative cooldown; an unknown re-entry rule; a missing endpoint or
 * template; a content rule without blocks; an experiment without an id or variants, with a holdout
 * outside [0, 1), a weight that is not positive, or duplicate variant ids.
 */
public final class FlowCompiler {
    static final String SCORE = CelEnvironment.SCORE;
    static final String SCORE_OVERLOAD = CelEnvironment.SCORE_OVERLOAD;
    static final String SCORE_LABEL = CelEnvironment.SCORE_LABEL;
    static final String SCORE_LABEL_OVERLOAD = CelEnvironment.SCORE_LABEL_OVERLOAD;
    static final String SCORE_OF = CelEnvironment.SCORE_OF;
    static final String SCORE_OF_OVERLOAD = CelEnvironment.SCORE_OF_OVERLOAD;

    /** The models shipped with the project, the ones {@link #standard()} knows. */
    public static final Set<String> SHIPPED_MODELS =
            Set.of("purchase_propensity", "churn_risk", "customer_ltv", "customer_clusters");

    /** A content variable's name: what a template can name it by. */
    private static final java.util.regex.Pattern VARIABLE_NAME =
            java.util.regex.Pattern.compile("[a-z][a-z0-9_]*");

    private final FeatureRegistry registry;
    private final Set<String> segmentIds;
    private final Set<String> models;
    private final CelCompiler cel;
    private final CelRuntime runtime;

    /**
     * @param segmentIds the segments flows may name; null: not checked
     * @param models the models flows may read scores of; null: not checked
     */
    public FlowCompiler(FeatureRegistry registry, Set<String> segmentIds, Set<String> models) {
        this(registry, segmentIds, models, celCompiler(registry), CelEnvironment.newRuntime());
    }

    private FlowCompiler(
            FeatureRegistry registry,
            Set<String> segmentIds,
            Set<String> models,
            CelCompiler cel,
            CelRuntime runtime) {
        this.registry = registry;
        this.segmentIds = segmentIds == null ? null : Set.copyOf(segmentIds);
        this.models = models == null ? null : Set.copyOf(models);
        this.cel = cel;
        this.runtime = runtime;
    }

    /**
     * Against {@link FeatureRegistry#standard()}, the shipped segments ({@link
     * SegmentDefinitions#defaults()}) and the shipped models ({@link #SHIPPED_MODELS}).
     */
    public static FlowCompiler standard() {
        return Standard.INSTANCE;
    }

    /** This compiler, checking segment ids against these definitions (null: not checked). */
    public FlowCompiler withSegments(SegmentDefinitions segments) {
        return new FlowCompiler(
                registry,
                segments == null
                        ? null
                        : segments.segments().stream()
                                .map(SegmentDefinition::id)
                                .collect(Collectors.toSet()),
                models,
                cel,
                runtime);
    }

    /** This compiler against another feature registry (e.g. with declared features). */
    public FlowCompiler withRegistry(FeatureRegistry other) {
        return other == registry
                ? this
                : new FlowCompiler(
                        other, segmentIds, models, celCompiler(other), CelEnvironment.newRuntime());
    }

    /** This compiler, checking model names against these (null: not checked). */
    public FlowCompiler withModels(Set<String> modelNames) {
        return new FlowCompiler(registry, segmentIds, modelNames, cel, runtime);
    }

    /** Against the standard registry, checking neither segment ids nor models (deserializing). */
    static FlowCompiler unchecked() {
        return Unchecked.INSTANCE;
    }

    /** Parses and compiles YAML text; a malformed file is one problem of flow {@code *}. */
    public CompiledFlows compile(String yaml) throws FlowValidationException {
        FlowDefinitions definitions;
        try {
            definitions = FlowDefinitions.parse(yaml);
        } catch (IllegalArgumentException e) {
            throw new FlowValidationException(List.of(FlowProblem.of("*", "", e.getMessage())));
        }
        return compile(definitions);
    }

    public CompiledFlows compile(FlowDefinitions definitions) throws FlowValidationException {
        List<FlowProblem> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < definitions.flows().size(); i++) {
            FlowDefinition d = definitions.flows().get(i);
            if (d == null) {
                problems.add(FlowProblem.of("flows[" + i + "]", "", "empty flow"));
                continue;
            }
            boolean hasId = d.id() != null && !d.id().isBlank();
            String id = hasId ? d.id() : "flows[" + i + "]";
            int before = problems.size();
            if (!hasId) {
                problems.add(FlowProblem.of(id, "id", "missing id"));
            } else if (!ids.add(d.id())) {
                problems.add(FlowProblem.of(id, "id", "duplicate id"));
            }
            CompiledFlow flow = compileFlow(d, id, problems);
            if (problems.size() == before) {
                flows.add(flow);
            }
        }
        if (definitions.version() < 0) {
            problems.add(FlowProblem.of("*", "version", "negative version"));
        }
        if (!problems.isEmpty()) {
            throw new FlowValidationException(problems);
        }
        return new CompiledFlows(definitions, flows, registry.declared());
    }

    /** Compiles one flow; adds its problems (and then returns an unusable result). */
    private CompiledFlow compileFlow(FlowDefinition d, String id, List<FlowProblem> problems) {
        int before = problems.size();
        Reads reads = new Reads();
        FlowRule triggerCondition = trigger(d, id, reads, problems);
        List<FlowRule> conditions = new ArrayList<>();
        for (int i = 0; i < d.conditions().size(); i++) {
            FlowRule rule =
                    rule(id, "conditions[" + i + "]", d.conditions().get(i), reads, problems);
            conditions.add(rule);
        }
        Duration cooldown = cooldown(d, id, problems);
        if (!FlowDefinition.ONCE.equals(d.reentry())
                && !FlowDefinition.AFTER_COOLDOWN.equals(d.reentry())) {
            problems.add(
                    FlowProblem.of(
                            id,
                            "reentry",
                            "unknown re-entry rule '"
                                    + d.reentry()
                                    + "' (once or after_cooldown)"));
        }
        if (d.endpoint() == null || d.endpoint().isBlank()) {
            problems.add(FlowProblem.of(id, "endpoint", "missing endpoint"));
        }
        if (d.template() == null || d.template().isBlank()) {
            problems.add(FlowProblem.of(id, "template", "missing template"));
        }
        List<CompiledFlow.Content> content = content(d, id, reads, problems);
        experiment(d.experiment(), id, problems);
        if (problems.size() > before) {
            return null;
        }
        return new CompiledFlow(
                d,
                registry,
                triggerCondition,
                conditions,
                content,
                cooldown,
                reads.features,
                reads.models);
    }

    private FlowRule trigger(FlowDefinition d, String id, Reads reads, List<FlowProblem> problems) {
        FlowTrigger trigger = d.trigger();
        List<String> kinds = trigger == null ? List.of() : trigger.kinds();
        if (kinds.isEmpty()) {
            problems.add(
                    FlowProblem.of(
                            id,
                            "trigger",
                            "no trigger: give one of pattern, segment_entered, segment_exited,"
                                    + " condition"));
            return null;
        }
        if (kinds.size() > 1) {
            problems.add(
                    FlowProblem.of(
                            id,
                            "trigger",
                            "more than one trigger ("
                                    + String.join(", ", kinds)
                                    + "): a flow has exactly one"));
            return null;
        }
        String kind = kinds.get(0);
        String value = trigger.valueOf(kind);
        String field = "trigger." + kind;
        switch (kind) {
            case Trigger.PATTERN -> {
                if (!FlowTrigger.PATTERNS.contains(value)) {
                    problems.add(
                            FlowProblem.of(
                                    id,
                                    field,
                                    "unknown pattern '"
                                            + value
                                            + "' (one of "
                                            + String.join(", ", FlowTrigger.PATTERNS)
                                            + ")"));
                }
                return null;
            }
            case Trigger.SEGMENT_ENTERED, Trigger.SEGMENT_EXITED -> {
                if (value.isBlank()) {
                    problems.add(FlowProblem.of(id, field, "missing segment id"));
                } else if (segmentIds != null && !segmentIds.contains(value)) {
                    problems.add(FlowProblem.of(id, field, "unknown segment '" + value + "'"));
                }
                return null;
            }
            default -> {
                return rule(id, field, value, reads, problems);
            }
        }
    }

    private static Duration cooldown(FlowDefinition d, String id, List<FlowProblem> problems) {
        if (d.cooldown() == null) {
            return Duration.ZERO;
        }
        Optional<Duration> parsed = FlowDurations.parse(d.cooldown());
        if (parsed.isEmpty()) {
            problems.add(
                    FlowProblem.of(
                            id,
                            "cooldown",
                            "invalid cooldown '"
                                    + d.cooldown()
                                    + "' (e.g. 7d, 16h, 1d12h, 30m, 0 or PT16H)"));
            return Duration.ZERO;
        }
        if (parsed.get().isNegative()) {
            problems.add(
                    FlowProblem.of(id, "cooldown", "negative cooldown '" + d.cooldown() + "'"));
        }
        return parsed.get();
    }

    private List<CompiledFlow.Content> content(
            FlowDefinition d, String id, Reads reads, List<FlowProblem> problems) {
        List<CompiledFlow.Content> content = new ArrayList<>();
        for (int i = 0; i < d.content().size(); i++) {
            ContentRule rule = d.content().get(i);
            String field = "content[" + i + "]";
            if (rule == null) {
                problems.add(FlowProblem.of(id, field, "empty content rule"));
                continue;
            }
            FlowRule when =
                    rule.when() == null
                            ? null
                            : rule(id, field + ".when", rule.when(), reads, problems);
            if (rule.blocks().isEmpty() && !rule.stop()) {
                problems.add(
                        FlowProblem.of(
                                id,
                                field + ".blocks",
                                "no blocks (a rule that only ends the list says stop: true)"));
            }
            for (int b = 0; b < rule.blocks().size(); b++) {
                String block = rule.blocks().get(b);
                if (block == null || block.isBlank()) {
                    problems.add(
                            FlowProblem.of(id, field + ".blocks[" + b + "]", "missing block id"));
                }
            }
            rule.variables()
                    .forEach(
                            (name, value) -> {
                                if (name == null || !VARIABLE_NAME.matcher(name).matches()) {
                                    problems.add(
                                            FlowProblem.of(
                                                    id,
                                                    field + ".variables",
                                                    "variable name '"
                                                            + name
                                                            + "' is not lower_snake_case"
                                                            + " (letters, digits, _)"));
                                } else if (value == null) {
                                    problems.add(
                                            FlowProblem.of(
                                                    id,
                                                    field + ".variables." + name,
                                                    "missing value"));
                                }
                            });
            content.add(
                    new CompiledFlow.Content(when, rule.blocks(), rule.variables(), rule.stop()));
        }
        return content;
    }

    private static void experiment(Experiment e, String id, List<FlowProblem> problems) {
        if (e == null) {
            return;
        }
        if (e.id() == null || e.id().isBlank()) {
            problems.add(FlowProblem.of(id, "experiment.id", "missing experiment id"));
        }
        double holdout = e.holdout();
        if (!(holdout >= 0.0 && holdout < 1.0)) {
            problems.add(
                    FlowProblem.of(
                            id, "experiment.holdout", "holdout " + holdout + " is outside [0, 1)"));
        }
        if (e.variants().isEmpty()) {
            problems.add(
                    FlowProblem.of(
                            id,
                            "experiment.variants",
                            "no variants (give at least one, with a positive weight)"));
        }
        Set<String> variantIds = new HashSet<>();
        for (int i = 0; i < e.variants().size(); i++) {
            Variant v = e.variants().get(i);
            String field = "experiment.variants[" + i + "]";
            if (v == null) {
                problems.add(FlowProblem.of(id, field, "empty variant"));
                continue;
            }
            if (v.id() == null || v.id().isBlank()) {
                problems.add(FlowProblem.of(id, field + ".id", "missing variant id"));
            } else if (v.id().equals(Flow.Assignment.HOLDOUT)) {
                problems.add(
                        FlowProblem.of(
                                id,
                                field + ".id",
                                "'holdout' is reserved for held-out customers; set holdout: 0.1"
                                        + " instead"));
            } else if (!variantIds.add(v.id())) {
                problems.add(
                        FlowProblem.of(id, field + ".id", "duplicate variant id '" + v.id() + "'"));
            }
            if (v.weight() == null) {
                problems.add(FlowProblem.of(id, field + ".weight", "missing weight"));
            } else if (!(v.weight() > 0.0) || v.weight().isInfinite()) {
                problems.add(
                        FlowProblem.of(
                                id,
                                field + ".weight",
                                "weight " + v.weight() + " is not positive"));
            }
            if (v.template() != null && v.template().isBlank()) {
                problems.add(
                        FlowProblem.of(
                                id, field + ".template", "blank template (leave it out instead)"));
            }
        }
    }

    /** Compiles one CEL rule; null (with problems) when it is refused. */
    private FlowRule rule(
            String id, String field, String source, Reads reads, List<FlowProblem> problems) {
        if (source == null || source.isBlank()) {
            problems.add(FlowProblem.of(id, field, "empty rule"));
            return null;
        }
        CelValidationResult result = cel.compile(source);
        if (result.hasError()) {
            for (CelIssue issue : result.getErrors()) {
                problems.add(problem(id, field, issue.getSourceLocation(), hint(issue)));
            }
            return null;
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            throw new IllegalStateException("checked rule without an AST", e);
        }
        int before = problems.size();
        CelSource celSource = ast.getSource();
        List<CelNavigableExpr> nodes = CelNavigableAst.fromAst(ast).getRoot().allNodes().toList();
        Set<String> features = new TreeSet<>();
        Set<String> modelsRead = new TreeSet<>();
        for (CelNavigableExpr node : nodes) {
            if (node.getKind() == CelExpr.ExprKind.Kind.IDENT) {
                String name = node.expr().ident().name();
                if (registry.get(name).isPresent()) {
                    features.add(name); // not as_of, nor macro variables
                }
                continue;
            }
            if (node.getKind() != CelExpr.ExprKind.Kind.CALL) {
                continue;
            }
            CelExpr.CelCall call = node.expr().call();
            String function = call.function();
            if (function.equals(CelEnvironment.CATEGORY_AFFINITY)) {
                features.add(CelEnvironment.CATEGORY_AFFINITY);
            } else if (function.equals(CelEnvironment.IN_SEGMENT)) {
                literal(id, field, call, celSource, "segment id", problems)
                        .filter(s -> segmentIds != null && !segmentIds.contains(s.value()))
                        .ifPresent(
                                s ->
                                        problems.add(
                                                problem(
                                                        id,
                                                        field,
                                                        s.at(),
                                                        "unknown segment '"
                                                                + s.value()
                                                                + "' in in_segment")));
            } else if (function.equals(SCORE)
                    || function.equals(SCORE_LABEL)
                    || function.equals(SCORE_OF)) {
                Optional<Literal> model =
                        literal(id, field, call, celSource, "model name", problems);
                model.ifPresent(m -> modelsRead.add(m.value()));
                model.filter(m -> models != null && !models.contains(m.value()))
                        .ifPresent(
                                m ->
                                        problems.add(
                                                problem(
                                                        id,
                                                        field,
                                                        m.at(),
                                                        "unknown model '"
                                                                + m.value()
                                                                + "' in "
                                                                + function
                                                                + " (known: "
                                                                + String.join(
                                                                        ", ", new TreeSet<>(models))
                                                                + ")")));
            } else if (function.equals("duration") && call.args().size() == 1) {
                CelExpr arg = call.args().get(0);
                if (arg.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && arg.constant().getKind() == CelConstant.Kind.STRING_VALUE
                        && !CelEnvironment.DURATION_LITERAL
                                .matcher(arg.constant().stringValue())
                                .matches()) {
                    problems.add(
                            problem(
                                    id,
                                    field,
                                    location(celSource, arg.id()),
                                    "invalid duration '"
                                            + arg.constant().stringValue()
                                            + "' (units h, m, s, ms, us, ns; 7 days is '168h')"));
                }
            }
        }
        if (problems.size() > before) {
            return null;
        }
        reads.features.addAll(features);
        reads.models.addAll(modelsRead);
        try {
            return new FlowRule(field, source, runtime.createProgram(ast));
        } catch (CelException e) {
            throw new IllegalStateException("cannot plan a checked rule", e);
        }
    }

    /** The literal string argument of a call, or a problem when it is not one. */
    private static Optional<Literal> literal(
            String id,
            String field,
            CelExpr.CelCall call,
            CelSource source,
            String what,
            List<FlowProblem> problems) {
        CelExpr arg = call.args().get(0);
        CelSourceLocation at = location(source, arg.id());
        if (arg.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                || arg.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
            problems.add(problem(id, field, at, call.function() + " needs a literal " + what));
            return Optional.empty();
        }
        return Optional.of(new Literal(arg.constant().stringValue(), at));
    }

    private static String hint(CelIssue issue) {
        String message = issue.getMessage();
        if (message.contains("'" + "viewed_product" + "'")) {
            return message
                    + " (flow rules see no view times: use 'id' in recently_viewed_products, or a"
                    + " segment)";
        }
        return message;
    }

    private static CelSourceLocation location(CelSource source, long exprId) {
        Integer offset = source.getPositionsMap().get(exprId);
        return offset == null
                ? CelSourceLocation.NONE
                : source.getOffsetLocation(offset).orElse(CelSourceLocation.NONE);
    }

    /** CEL columns are 0-based; problems show 1-based columns, as CEL's own messages do. */
    private static FlowProblem problem(
            String id, String field, CelSourceLocation at, String message) {
        return new FlowProblem(id, field, Math.max(at.getLine(), 0), at.getColumn() + 1, message);
    }

    private static CelCompiler celCompiler(FeatureRegistry registry) {
        return CelEnvironment.addScoreFunctions(CelEnvironment.baseCompilerBuilder(registry))
                .build();
    }

    /** What a flow's rules read. */
    private static final class Reads {
        final Set<String> features = new TreeSet<>();
        final Set<String> models = new TreeSet<>();
    }

    private record Literal(String value, CelSourceLocation at) {}

    private static final class Standard {
        static final FlowCompiler INSTANCE =
                new FlowCompiler(FeatureRegistry.standard(), null, SHIPPED_MODELS)
                        .withSegments(SegmentDefinitions.defaults());
    }

    private static final class Unchecked {
        static final FlowCompiler INSTANCE =
                new FlowCompiler(FeatureRegistry.standard(), null, null);
    }
}
