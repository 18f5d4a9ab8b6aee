package io.personalize.job.cli;

import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.declared.DeclaredFeature;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.features.declared.FeatureProblem;
import io.personalize.core.features.declared.FeatureValidationException;
import io.personalize.core.flows.CompiledFlows;
import io.personalize.core.flows.Flow;
import io.personalize.core.flows.FlowCompiler;
import io.personalize.core.flows.FlowProblem;
import io.personalize.core.flows.FlowValidationException;
import io.personalize.core.segments.CompiledSegments;
import io.personalize.core.segments.SegmentCompiler;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.segments.SegmentProblem;
import io.personalize.core.segments.SegmentValidationException;
import io.personalize.models.ModelCard;
import io.personalize.models.ModelCards;
import io.personalize.models.ModelException;
import io.personalize.models.ModelRegistry;
import io.personalize.models.ModelRegistryUpdate;
import io.personalize.models.OnnxModel;
import io.personalize.models.ServingModels;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code personalize validate segments FILE}, {@code validate features FILE}, {@code validate model
 * MODEL.onnx [--card CARD]}, {@code validate registry FILE}: check definitions and models without
 * running the job. Segments and flows are checked against the declared features given with {@code
 * --features FILE} too.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description =
                "Check definitions without running the job: every problem is listed, and the exit"
                        + " code is non-zero when there is one.")
public final class ValidateCommand implements Callable<Integer> {
    /** Exit code when the definitions have problems. */
    static final int INVALID = 1;

    @Parameters(
            index = "0",
            paramLabel = "KIND",
            description =
                    "What to check: segments, flows or features (a definitions file, features:"
                            + " declared features), model (an .onnx file"
                            + " against its card), registry (a model registry and every model it"
                            + " names).")
    String kind;

    @Parameters(
            index = "1",
            paramLabel = "FILE",
            description = "The definitions file, the .onnx model or the registry file.")
    Path file;

    @Option(
            names = "--card",
            paramLabel = "CARD",
            description = "The model card (default: the .yaml next to the model).")
    Path card;

    @Option(
            names = "--models",
            paramLabel = "REGISTRY",
            description =
                    "For segments and flows: check the model names of score(), score_of() and"
                            + " score_label() against this model registry file (default: segments"
                            + " not checked, flows against the shipped models).")
    Path models;

    @Option(
            names = "--segments",
            paramLabel = "SEGMENTS",
            description =
                    "For flows: the segment definitions file the flows' segment triggers and"
                            + " in_segment() name (default: the bundled segments).")
    Path segments;

    @Option(
            names = "--features",
            paramLabel = "FEATURES",
            description =
                    "Declared features (personalize.features.declared) that segments and flows may"
                            + " read besides the built-in ones.")
    Path features;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist");
        }
        FeatureRegistry registry = FeatureRegistry.standard();
        if (features != null && !"features".equals(kind)) {
            try {
                registry = DeclaredFeatures.load(features).registry();
            } catch (FeatureValidationException e) {
                return featureProblems(e, System.err);
            }
        }
        return switch (kind) {
            case "segments" ->
                    validateSegments(
                            Files.readString(file),
                            registry,
                            modelNames(models),
                            System.out,
                            System.err);
            case "features" -> validateFeatures(Files.readString(file), System.out, System.err);
            case "model" -> validateModel(file, card, System.out, System.err);
            case "registry" -> validateRegistry(file, System.out, System.err);
            case "flows" -> {
                SegmentDefinitions against = SegmentDefinitions.defaults();
                if (segments != null) {
                    try {
                        against = SegmentDefinitions.parse(Files.readString(segments));
                        new SegmentCompiler(registry).compile(against);
                    } catch (SegmentValidationException | IllegalArgumentException e) {
                        System.err.println(segments + " refused: " + e.getMessage());
                        yield INVALID;
                    }
                }
                yield validateFlows(
                        Files.readString(file),
                        registry,
                        against,
                        models == null ? FlowCompiler.SHIPPED_MODELS : modelNames(models),
                        System.out,
                        System.err);
            }
            default ->
                    throw new IllegalArgumentException(
                            "validate "
                                    + kind
                                    + ": KIND is segments, flows, features, model or registry");
        };
    }

    /** Checks a declared-features file as the job would at start. */
    static int validateFeatures(String yaml, PrintStream out, PrintStream err) {
        try {
            DeclaredFeatures declared = DeclaredFeatures.parse(yaml);
            out.printf(
                    "ok: %d declared features, version %d: %s%n",
                    declared.features().size(),
                    declared.version(),
                    declared.features().stream().map(DeclaredFeature::name).toList());
            return 0;
        } catch (FeatureValidationException e) {
            return featureProblems(e, err);
        }
    }

    private static int featureProblems(FeatureValidationException e, PrintStream err) {
        err.printf("%d problem(s):%n", e.problems().size());
        for (FeatureProblem problem : e.problems()) {
            err.println("  " + problem);
        }
        return INVALID;
    }

    static int validateFlows(String yaml, PrintStream out, PrintStream err) {
        return validateFlows(
                yaml,
                FeatureRegistry.standard(),
                SegmentDefinitions.defaults(),
                FlowCompiler.SHIPPED_MODELS,
                out,
                err);
    }

    /**
     * Compiles flow definitions as the job would: against these features, segments and model names.
     */
    static int validateFlows(
            String yaml,
            FeatureRegistry registry,
            SegmentDefinitions segments,
            Set<String> models,
            PrintStream out,
            PrintStream err) {
        try {
            FlowCompiler compiler =
                    FlowCompiler.standard()
                            .withRegistry(registry)
                            .withSegments(segments)
                            .withModels(models);
            CompiledFlows compiled = compiler.compile(yaml);
            out.printf(
                    "ok: %d flows, version %d: %s%n",
                    compiled.flows().size(),
                    compiled.version(),
                    compiled.flows().stream().map(Flow::id).toList());
            return 0;
        } catch (FlowValidationException e) {
            err.printf("%d problem(s):%n", e.problems().size());
            for (FlowProblem problem : e.problems()) {
                err.println("  " + problem);
            }
            return INVALID;
        }
    }

    /** Loads a model as the job would: card checks, signature checks, golden examples. */
    static int validateModel(Path model, Path card, PrintStream out, PrintStream err) {
        Path cardPath = card != null ? card : ModelCards.cardFor(model);
        try (OnnxModel loaded = OnnxModel.load(model, ModelCards.read(cardPath), 1)) {
            ModelCard c = loaded.card();
            out.printf(
                    "ok: %s %s (%s): %d features into '%s', score from '%s' (%s), %d golden"
                            + " example(s) within %s%s%n",
                    c.name(),
                    c.version(),
                    c.task().yamlName(),
                    c.features().size(),
                    c.inputs().byName()
                            ? inputsDescribed(c)
                            : c.inputs().oneTensorPerFeature()
                                    ? "one input per feature"
                                    : c.inputs().tensor(),
                    c.output().name(),
                    c.output().kind().yamlName(),
                    c.golden().size(),
                    c.toleranceOrDefault(),
                    loaded.fixedBatch() ? "; batch fixed at 1: scored row by row" : "");
            return 0;
        } catch (ModelException e) {
            problems(e, err);
            return INVALID;
        }
    }

    /** {@code numeric float x 12, tier string x 1}. */
    private static String inputsDescribed(ModelCard c) {
        StringBuilder out = new StringBuilder();
        for (ModelCard.Input input : c.modelInputs()) {
            out.append(out.length() == 0 ? "" : ", ")
                    .append(input.name())
                    .append(' ')
                    .append(input.type().yamlName())
                    .append(" x ")
                    .append(input.columns().size());
        }
        return out.toString();
    }

    /** Loads every release a registry names, as the scoring stage would. */
    static int validateRegistry(Path registry, PrintStream out, PrintStream err) {
        ModelRegistryUpdate reading =
                ModelRegistryUpdate.read(registry, System.currentTimeMillis());
        try (ServingModels models = new ServingModels(1)) {
            List<String> refusals = models.apply(reading);
            if (!refusals.isEmpty()) {
                err.printf("%d problem(s):%n", refusals.size());
                refusals.forEach(r -> err.println("  " + r));
                return INVALID;
            }
            out.printf("ok: %s%n", models.versions());
            return 0;
        }
    }

    private static void problems(ModelException e, PrintStream err) {
        String subject = e.getMessage().substring(0, e.getMessage().indexOf(':') + 1);
        err.printf("%s %d problem(s):%n", subject, e.problems().size());
        for (String problem : e.problems()) {
            err.println("  " + problem);
        }
    }

    /** The model names of a registry file; null without one. */
    private static java.util.Set<String> modelNames(Path registry) throws Exception {
        if (registry == null) {
            return null;
        }
        return ModelRegistry.parse(Files.readString(registry), registry.toString())
                .models()
                .keySet();
    }

    static int validateSegments(String yaml, PrintStream out, PrintStream err) {
        return validateSegments(yaml, FeatureRegistry.standard(), null, out, err);
    }

    /**
     * @param registry the features rules may read (built-in and declared)
     * @param models the model names score functions may read; null: not checked
     */
    static int validateSegments(
            String yaml,
            FeatureRegistry registry,
            java.util.Set<String> models,
            PrintStream out,
            PrintStream err) {
        try {
            CompiledSegments compiled =
                    new SegmentCompiler(registry).withModels(models).compile(yaml);
            out.printf(
                    "ok: %d segments, version %d, evaluation order %s%n",
                    compiled.evaluationOrder().size(),
                    compiled.version(),
                    compiled.evaluationOrder());
            if (!compiled.scoreSegments().isEmpty()) {
                out.printf(
                        "score segments (evaluated in the scoring stage): %s%n",
                        compiled.scoreSegments());
            }
            return 0;
        } catch (SegmentValidationException e) {
            err.printf("%d problem(s):%n", e.problems().size());
            for (SegmentProblem problem : e.problems()) {
                err.println("  " + problem);
            }
            return INVALID;
        }
    }
}
