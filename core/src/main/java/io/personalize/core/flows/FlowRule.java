package io.personalize.core.flows;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * One checked CEL rule of a flow (its trigger condition, a condition or a content rule's {@code
 * when}) with its source text.
 */
record FlowRule(String field, String source, CelRuntime.Program program) {

    /**
     * Whether the rule holds. A rule that cannot be decided (it needs a feature without a value or
     * default, a missing score, label or segment list, or fails otherwise) does not hold.
     */
    boolean holds(FlowContext context) {
        try {
            return program.eval(context, context.functions()) instanceof Boolean b && b;
        } catch (CelEvaluationException | RuntimeException e) {
            return false;
        }
    }
}
