package io.personalize.core.features.declared;

import dev.cel.common.CelOptions;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.segments.CelEnvironment;

/**
 * The two CEL environments of declared features: over one event ({@code event}, the envelope as a
 * map, for {@code where:} and {@code value:}) and over the features ({@code expression:} of derived
 * features: every feature by name, typed, and {@code as_of}). Standard functions and macros only.
 */
final class DeclaredCel {
    /** The variable holding the event in {@code where:} and {@code value:}. */
    static final String EVENT = "event";

    private static final CelOptions OPTIONS =
            CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private DeclaredCel() {}

    /** A compiler over {@code event} (a map of the envelope's fields) with the result type. */
    static CelCompiler eventCompiler(CelType result) {
        return CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setResultType(result)
                .addVar(EVENT, MapType.create(SimpleType.STRING, SimpleType.DYN))
                .build();
    }

    /** A compiler over every feature of the registry and {@code as_of}, with the result type. */
    static CelCompiler featureCompiler(FeatureRegistry registry, CelType result) {
        var builder =
                CelCompilerFactory.standardCelCompilerBuilder()
                        .setOptions(OPTIONS)
                        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                        .setResultType(result)
                        .addVar(CelEnvironment.AS_OF, SimpleType.TIMESTAMP);
        for (FeatureDefinition feature : registry.all()) {
            builder.addVar(feature.name(), CelEnvironment.celType(feature.type()));
        }
        return builder.build();
    }

    static CelRuntime runtime() {
        return RUNTIME;
    }
}
