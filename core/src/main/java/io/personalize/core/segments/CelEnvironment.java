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

/**
 * The CEL environment rules are compiled in: every registry feature as a typed variable, {@code
 * as_of} (timestamp), and the segment functions. Their implementations depend on the customer, so
 * they are bound late, per evaluation ({@link EvaluationContext}).
 */
final class CelEnvironment {
    static final String AS_OF = "as_of";
    static final String IN_SEGMENT = "in_segment";
    static final String IN_SEGMENT_OVERLOAD = "in_segment_string";
    static final String VIEWED_PRODUCT = "viewed_product";
    static final String VIEWED_PRODUCT_OVERLOAD = "viewed_product_string_duration";
    static final String CATEGORY_AFFINITY = "category_affinity";
    static final String CATEGORY_AFFINITY_OVERLOAD = "category_affinity_string";

    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

    private final CelCompiler compiler;
    private final CelRuntime runtime;

    CelEnvironment(FeatureRegistry registry) {
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
                                        VIEWED_PRODUCT,
                                        CelOverloadDecl.newGlobalOverload(
                                                VIEWED_PRODUCT_OVERLOAD,
                                                SimpleType.BOOL,
                                                SimpleType.STRING,
                                                SimpleType.DURATION)),
                                CelFunctionDecl.newFunctionDeclaration(
                                        CATEGORY_AFFINITY,
                                        CelOverloadDecl.newGlobalOverload(
                                                CATEGORY_AFFINITY_OVERLOAD,
                                                SimpleType.DOUBLE,
                                                SimpleType.STRING)));
        for (FeatureDefinition feature : registry.all()) {
            builder.addVar(feature.name(), celType(feature.type()));
        }
        compiler = builder.build();
        runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    }

    /**
     * The CEL type of a feature type. Timestamps (epoch ms in the features) are CEL timestamps, so
     * rules can write {@code as_of - last_purchase_at > duration('1440h')}.
     */
    static CelType celType(FeatureType type) {
        return switch (type) {
            case LONG -> SimpleType.INT;
            case DOUBLE -> SimpleType.DOUBLE;
            case STRING -> SimpleType.STRING;
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
