package io.personalize.core.flows;

import io.personalize.core.decisions.Trigger;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.scoring.CustomerScore;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A checked flow ({@link FlowCompiler}). Immutable and thread-safe. Serializable as its definition,
 * recompiled when read.
 */
final class CompiledFlow implements Flow {
    private static final long serialVersionUID = 1L;

    private final FlowDefinition definition;
    private final transient FeatureRegistry registry;

    /**
     * One context per thread, pointed at each evaluation's features and scores: its function
     * bindings are built once, not at every moment of every customer.
     */
    private final transient ThreadLocal<FlowContext> contexts =
            ThreadLocal.withInitial(() -> new FlowContext(null, null, null));

    private final String triggerKind;
    private final String triggerName;
    private final transient FlowRule triggerCondition;
    private final transient List<FlowRule> conditions;
    private final transient List<Content> content;
    private final Duration cooldown;
    private final Reentry reentry;
    private final transient ExperimentArms experiment;
    private final Set<String> featuresRead;
    private final Set<String> modelsRead;

    /** A content rule with its checked {@code when} (null: always) and its blocks' variables. */
    record Content(
            FlowRule when, List<String> blocks, Map<String, String> variables, boolean stop) {}

    CompiledFlow(
            FlowDefinition definition,
            FeatureRegistry registry,
            FlowRule triggerCondition,
            List<FlowRule> conditions,
            List<Content> content,
            Duration cooldown,
            Set<String> featuresRead,
            Set<String> modelsRead) {
        this.definition = definition;
        this.registry = registry;
        this.triggerKind = definition.trigger().kinds().get(0);
        this.triggerName =
                triggerKind.equals(Trigger.CONDITION)
                        ? definition.id()
                        : definition.trigger().valueOf(triggerKind);
        this.triggerCondition = triggerCondition;
        this.conditions = List.copyOf(conditions);
        this.content = List.copyOf(content);
        this.cooldown = cooldown;
        this.reentry =
                FlowDefinition.ONCE.equals(definition.reentry())
                        ? Reentry.ONCE
                        : Reentry.AFTER_COOLDOWN;
        this.experiment =
                definition.experiment() == null
                        ? null
                        : new ExperimentArms(definition.experiment());
        this.featuresRead = Set.copyOf(featuresRead);
        this.modelsRead = Set.copyOf(modelsRead);
    }

    /** The definition it was compiled from. */
    FlowDefinition definition() {
        return definition;
    }

    @Override
    public String id() {
        return definition.id();
    }

    @Override
    public int priority() {
        return definition.priority();
    }

    @Override
    public Duration cooldown() {
        return cooldown;
    }

    @Override
    public Reentry reentry() {
        return reentry;
    }

    /**
     * A pattern trigger of the flow's pattern name, a segment trigger of the same kind and segment
     * id, or a condition trigger named after this flow.
     */
    @Override
    public boolean triggeredBy(Trigger trigger) {
        return trigger != null
                && triggerKind.equals(trigger.kind)
                && triggerName.equals(trigger.name);
    }

    private FlowContext context(CustomerFeatures features, Map<String, CustomerScore> scores) {
        return contexts.get().reset(registry, features, scores);
    }

    @Override
    public boolean startsOnCondition() {
        return triggerCondition != null;
    }

    @Override
    public boolean triggerConditionHolds(
            CustomerFeatures features, Map<String, CustomerScore> scores) {
        return triggerCondition != null && triggerCondition.holds(context(features, scores));
    }

    @Override
    public List<String> failedConditions(
            CustomerFeatures features, Map<String, CustomerScore> scores) {
        FlowContext context = context(features, scores);
        List<String> failed = new ArrayList<>(0);
        if (triggerCondition != null && !triggerCondition.holds(context)) {
            failed.add(triggerCondition.source());
        }
        for (FlowRule condition : conditions) {
            if (!condition.holds(context)) {
                failed.add(condition.source());
            }
        }
        return failed;
    }

    @Override
    public List<String> contentBlocks(
            CustomerFeatures features, Map<String, CustomerScore> scores) {
        Set<String> chosen = new LinkedHashSet<>();
        for (Content rule : applying(features, scores)) {
            chosen.addAll(rule.blocks());
        }
        return List.copyOf(chosen);
    }

    @Override
    public Map<String, String> contentVariables(
            CustomerFeatures features, Map<String, CustomerScore> scores) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Content rule : applying(features, scores)) {
            for (String block : rule.blocks()) {
                rule.variables()
                        .forEach((name, value) -> variables.putIfAbsent(block + "." + name, value));
            }
        }
        return variables;
    }

    /** The content rules that apply, in file order, up to the first applying stop. */
    private List<Content> applying(CustomerFeatures features, Map<String, CustomerScore> scores) {
        FlowContext context = context(features, scores);
        List<Content> applying = new ArrayList<>();
        for (Content rule : content) {
            if (rule.when() == null || rule.when().holds(context)) {
                applying.add(rule);
                if (rule.stop()) {
                    break;
                }
            }
        }
        return applying;
    }

    @Override
    public Assignment assign(String customerId) {
        return experiment == null ? Assignment.NONE : experiment.assign(customerId);
    }

    @Override
    public Set<String> featuresRead() {
        return featuresRead;
    }

    @Override
    public Set<String> modelsRead() {
        return modelsRead;
    }

    @Override
    public String endpointId() {
        return definition.endpoint();
    }

    @Override
    public String templateId() {
        return definition.template();
    }

    @Override
    public String templateId(Assignment assignment) {
        if (experiment == null
                || assignment == null
                || assignment.heldOut()
                || !Objects.equals(assignment.experimentId(), definition.experiment().id())) {
            return templateId();
        }
        return experiment.templateOf(assignment.variant(), templateId());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompiledFlow f && definition.equals(f.definition);
    }

    @Override
    public int hashCode() {
        return definition.hashCode();
    }

    @Override
    public String toString() {
        return "Flow{" + id() + " " + triggerKind + " " + triggerName + "}";
    }

    private Object writeReplace() throws ObjectStreamException {
        return new SerializedForm(definition);
    }

    /** The definition; recompiled when read (already checked: segments and models not again). */
    private record SerializedForm(FlowDefinition definition) implements Serializable {
        private Object readResolve() throws ObjectStreamException {
            try {
                return FlowCompiler.unchecked()
                        .compile(new FlowDefinitions(0, List.of(definition)))
                        .flows()
                        .get(0);
            } catch (FlowValidationException e) {
                throw new InvalidObjectException(e.getMessage());
            }
        }
    }
}
