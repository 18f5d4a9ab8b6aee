package io.personalize.core.segments;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableExpr;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.FeatureType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a {@link RuleTiming} from a checked rule's AST: the time-driven inputs and the literals
 * they are compared with; refuses forms whose change could not be timed exactly.
 */
final class RuleTimingAnalysis {
    private static final long DAY = RuleTiming.DAY;
    private static final Set<String> DAY_FEATURES = RuleTiming.DAY_FEATURES;
    private static final String AGE = RuleTiming.AGE;
    private static final Set<String> COMPARISONS =
            Set.of("_<_", "_<=_", "_>_", "_>=_", "_==_", "_!=_");
    private static final Set<String> AS_OF_OPERATORS =
            Set.of("_<_", "_<=_", "_>_", "_>=_", "_==_", "_!=_", "_-_", "_+_");

    private RuleTimingAnalysis() {}

    /** Reads the timing of a checked rule; problems for forms whose timing cannot be exact. */
    static RuleTiming analyze(
            String segmentId,
            CelNavigableExpr root,
            FeatureRegistry registry,
            ProblemSink problems) {
        Map<String, long[]> days = new LinkedHashMap<>();
        boolean readsAge = false;
        boolean readsAsOf = false;
        Set<String> timestampFeatures = new TreeSet<>();
        List<Long> durations = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();
        Set<Long> windows = new TreeSet<>();
        Set<String> products = new TreeSet<>();
        boolean anyProduct = false;
        Map<String, Set<Long>> thresholds = new LinkedHashMap<>();
        Set<String> everyDay = new TreeSet<>();
        for (CelNavigableExpr node : root.allNodes().toList()) {
            CelExpr expr = node.expr();
            switch (expr.getKind()) {
                case IDENT -> {
                    String name = expr.ident().name();
                    if (DAY_FEATURES.contains(name)) {
                        Long literal = comparedIntLiteral(node);
                        if (literal == null) {
                            everyDay.add(name);
                        } else {
                            thresholds.computeIfAbsent(name, n -> new TreeSet<>()).add(literal);
                        }
                    } else if (AGE.equals(name)) {
                        readsAge = true;
                    } else if (CelEnvironment.AS_OF.equals(name)) {
                        readsAsOf = true;
                        checkAsOfUse(segmentId, node, problems);
                    } else if (registry.get(name)
                            .map(d -> d.type() == FeatureType.TIMESTAMP)
                            .orElse(false)) {
                        timestampFeatures.add(name);
                    }
                }
                case CALL -> {
                    var call = expr.call();
                    String literal = stringArg(call.args(), 0);
                    if (call.function().equals("duration") && literal != null) {
                        CelLiterals.durationMillis(literal).ifPresent(durations::add);
                    } else if (call.function().equals("timestamp") && literal != null) {
                        CelLiterals.timestampMillis(literal).ifPresent(timestamps::add);
                    } else if (call.function().equals(CelEnvironment.VIEWED_PRODUCT)) {
                        viewWindow(segmentId, node, problems).ifPresent(windows::add);
                        if (literal == null) {
                            anyProduct = true;
                        } else {
                            products.add(literal);
                        }
                    }
                }
                default -> {}
            }
        }
        for (String name : thresholds.keySet()) {
            days.put(name, thresholds.get(name).stream().mapToLong(Long::longValue).toArray());
        }
        everyDay.forEach(name -> days.put(name, null));
        return new RuleTiming(
                Collections.unmodifiableMap(days),
                readsAge,
                readsAsOf,
                offsets(durations),
                timestamps.stream().mapToLong(Long::longValue).toArray(),
                List.copyOf(timestampFeatures),
                windows.stream().mapToLong(Long::longValue).toArray(),
                anyProduct ? null : Set.copyOf(products));
    }

    /** 0, each duration literal and each sum of two, so {@code a + d1 < as_of - d2} is timed. */
    private static long[] offsets(List<Long> durations) {
        Set<Long> offsets = new TreeSet<>();
        offsets.add(0L);
        for (int i = 0; i < durations.size(); i++) {
            offsets.add(durations.get(i));
            for (int j = i; j < durations.size(); j++) {
                offsets.add(durations.get(i) + durations.get(j));
                offsets.add(durations.get(i) - durations.get(j));
            }
        }
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }

    /** The integer literal an identifier is directly compared with, else null. */
    private static Long comparedIntLiteral(CelNavigableExpr ident) {
        var parent = ident.parent();
        if (parent.isEmpty() || parent.get().getKind() != CelExpr.ExprKind.Kind.CALL) {
            return null;
        }
        var call = parent.get().expr().call();
        if (!COMPARISONS.contains(call.function()) || call.args().size() != 2) {
            return null;
        }
        for (CelExpr arg : call.args()) {
            if (arg.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && arg.constant().getKind() == CelConstant.Kind.INT64_VALUE) {
                return arg.constant().int64Value();
            }
        }
        return null;
    }

    private static void checkAsOfUse(String segmentId, CelNavigableExpr ident, ProblemSink sink) {
        var parent = ident.parent();
        boolean allowed =
                parent.isPresent()
                        && parent.get().getKind() == CelExpr.ExprKind.Kind.CALL
                        && AS_OF_OPERATORS.contains(parent.get().expr().call().function())
                        && parent.get().expr().call().target().isEmpty();
        if (!allowed) {
            sink.problem(
                    segmentId,
                    ident.expr().id(),
                    "as_of can only be compared, or shifted by a duration (e.g. as_of -"
                            + " last_purchase_at > duration('1440h')), so that the change can be"
                            + " timed exactly; time-of-day rules belong in flows");
        }
    }

    private static OptionalLong viewWindow(
            String segmentId, CelNavigableExpr call, ProblemSink sink) {
        List<CelExpr> args = call.expr().call().args();
        CelExpr window = args.size() == 2 ? args.get(1) : null;
        String literal =
                window != null
                                && window.getKind() == CelExpr.ExprKind.Kind.CALL
                                && window.call().function().equals("duration")
                        ? stringArg(window.call().args(), 0)
                        : null;
        OptionalLong millis =
                literal == null ? OptionalLong.empty() : CelLiterals.durationMillis(literal);
        if (literal == null) {
            sink.problem(
                    segmentId,
                    window == null ? call.expr().id() : window.id(),
                    "viewed_product needs a literal window, e.g. duration('168h')");
        } else if (millis.isPresent() && millis.getAsLong() > 7 * DAY) {
            sink.problem(
                    segmentId,
                    window.id(),
                    "viewed_product window "
                            + literal
                            + " is longer than the 7 days (168h) views are kept");
            return OptionalLong.empty();
        }
        return millis;
    }

    private static String stringArg(List<CelExpr> args, int index) {
        if (args.size() <= index) {
            return null;
        }
        CelExpr arg = args.get(index);
        return arg.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && arg.constant().getKind() == CelConstant.Kind.STRING_VALUE
                ? arg.constant().stringValue()
                : null;
    }

    /** Where analysis problems go: the segment, the expression id (for its position), a message. */
    interface ProblemSink {
        void problem(String segmentId, long exprId, String message);
    }
}
