package io.personalize.core.segments;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.FeatureType;
import java.util.regex.Pattern;

/**
 * The CEL environment rules are compiled in: every registry feature as a typed variable, {@code
 * as_of} (timestamp), and the segment functions. Their implementations depend on the customer, so
 * they are bound late, per evaluation ({@link EvaluationContext}).
 *
 * <p>Segment rules and flow rules share its base ({@link #baseCompilerBuilder}, {@link
 * #newRuntime}): the same feature types, options and the functions {@code in_segment} and {@code
 * category_affinity}, and the score functions ({@link #addScoreFunctions}); segment rules add
 * {@code viewed_product}.
 */
public final class CelEnvironment {
    public static final String AS_OF = "as_of";
    public static final String IN_SEGMENT = "in_segment";
    public static final String IN_SEGMENT_OVERLOAD = "in_segment_string";
    static final String VIEWED_PRODUCT = "viewed_product";
    static final String VIEWED_PRODUCT_OVERLOAD = "viewed_product_string_duration";
    public static final String CATEGORY_AFFINITY = "category_affinity";
    public static final String CATEGORY_AFFINITY_OVERLOAD = "category_affinity_string";
    public static final String SCORE = "score";
    public static final String SCORE_OVERLOAD = "score_string";
    public static final String SCORE_LABEL = "score_label";
    public static final String SCORE_LABEL_OVERLOAD = "score_label_string";
    public static final String SCORE_OF = "score_of";
    public static final String SCORE_OF_OVERLOAD = "score_of_string_string";

    /** The functions that read a champion score. */
    public static final java.util.Set<String> SCORE_FUNCTIONS =
            java.util.Set.of(SCORE, SCORE_LABEL, SCORE_OF);

    /** A whole CEL duration literal ({@code '168h'}, {@code '1h30m'}); CEL has no day unit. */
    public static final Pattern DURATION_LITERAL = CelLiterals.DURATION;

    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

    private final CelCompiler compiler;
    private final CelRuntime runtime;

    CelEnvironment(FeatureRegistry registry) {
        compiler =
                addScoreFunctions(baseCompilerBuilder(registry))
                        .addFunctionDeclarations(
                                CelFunctionDecl.newFunctionDeclaration(
                                        VIEWED_PRODUCT,
                                        CelOverloadDecl.newGlobalOverload(
                                                VIEWED_PRODUCT_OVERLOAD,
                                                SimpleType.BOOL,
                                                SimpleType.STRING,
                                                SimpleType.DURATION)))
                        .build();
        runtime = newRuntime();
    }

    /**
     * A compiler builder with the options every rule language shares (numbers of different types
     * compare), a bool result, the standard macros, {@code as_of}, every registry feature as a
     * typed variable, {@code in_segment(string) -> bool} and {@code category_affinity(string) ->
     * double}.
     */
    public static CelCompilerBuilder baseCompilerBuilder(FeatureRegistry registry) {
        CelCompilerBuilder builder =
                CelCompilerFactory.standardCelCompilerBuilder()
                        .setOptions(OPTIONS)
                        .setResultType(SimpleType.BOOL)
                        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                        .addVar(AS_OF, SimpleType.TIMESTAMP)
                        .addFunctionDeclarations(
                                CelFunctionDecl.newFunctionDeclaration(
                                        IN_SEGMENT,
                                        CelOverloadDecl.newGlobalOverload(
                                                IN_SEGMENT_OVERLOAD,
                                                SimpleType.BOOL,
                                                SimpleType.STRING)),
                                CelFunctionDecl.newFunctionDeclaration(
                                        CATEGORY_AFFINITY,
                                        CelOverloadDecl.newGlobalOverload(
                                                CATEGORY_AFFINITY_OVERLOAD,
                                                SimpleType.DOUBLE,
                                                SimpleType.STRING)));
        for (FeatureDefinition feature : registry.all()) {
            builder.addVar(feature.name(), celType(feature.type()));
        }
        return builder;
    }

    /**
     * Adds the champion score functions: {@code score('model') -> double}, {@code
     * score_label('model') -> string} and {@code score_of('model', 'label') -> double} (the
     * probability of one class).
     */
    public static CelCompilerBuilder addScoreFunctions(CelCompilerBuilder builder) {
        return builder.addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration(
                        SCORE,
                        CelOverloadDecl.newGlobalOverload(
                                SCORE_OVERLOAD, SimpleType.DOUBLE, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                        SCORE_LABEL,
                        CelOverloadDecl.newGlobalOverload(
                                SCORE_LABEL_OVERLOAD, SimpleType.STRING, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                        SCORE_OF,
                        CelOverloadDecl.newGlobalOverload(
                                SCORE_OF_OVERLOAD,
                                SimpleType.DOUBLE,
                                SimpleType.STRING,
                                SimpleType.STRING)));
    }

    /** A runtime with the shared options; functions are bound late, per evaluation. */
    public static CelRuntime newRuntime() {
        return CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    }

    /**
     * The CEL type of a feature type. Timestamps (epoch ms in the features) are CEL timestamps, so
     * rules can write {@code as_of - last_purchase_at > duration('1440h')}.
     */
    public static CelType celType(FeatureType type) {
        return switch (type) {
            case LONG -> SimpleType.INT;
            case DOUBLE -> SimpleType.DOUBLE;
            case STRING -> SimpleType.STRING;
            case BOOLEAN -> SimpleType.BOOL;
            case TIMESTAMP -> SimpleType.TIMESTAMP;
            case STRING_LIST -> ListType.create(SimpleType.STRING);
            case STRING_DOUBLE_MAP -> MapType.create(SimpleType.STRING, SimpleType.DOUBLE);
        };
    }

    CelCompiler compiler() {
        return compiler;
    }

    CelRuntime runtime() {
        return runtime;
    }
}
