package io.personalize.core.decisions;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.flows.Flow;
import io.personalize.core.scoring.CustomerScore;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** A {@link Flow} for the policy tests: triggered by a pattern name, conditions as predicates. */
final class TestFlow implements Flow {
    private final String id;
    private final String triggerName;
    private int priority;
    private Duration cooldown = Duration.ZERO;
    private Reentry reentry = Reentry.AFTER_COOLDOWN;
    private final Map<String, Condition> conditions = new LinkedHashMap<>();
    private Assignment assignment = Assignment.NONE;
    private Set<String> featuresRead = Set.of();
    private Set<String> modelsRead = Set.of();
    private List<String> contentBlocks = List.of();
    private Map<String, String> contentVariables = Map.of();

    interface Condition extends Predicate<CustomerFeatures>, Serializable {}

    private TestFlow(String id, String triggerName) {
        this.id = id;
        this.triggerName = triggerName;
    }

    /** A flow started by the pattern {@code triggerName}. */
    static TestFlow on(String id, String triggerName) {
        return new TestFlow(id, triggerName);
    }

    /** Abandoned cart: priority 10, needs a non-empty cart. */
    static TestFlow abandonedCart() {
        return on("abandoned_cart", "cart_abandoned")
                .priority(10)
                .condition("cart_items > 0", f -> f.cartItems > 0);
    }

    /** Browse abandonment: priority 5, no conditions. */
    static TestFlow browseAbandoned() {
        return on("browse_abandoned", "browse_abandoned").priority(5);
    }

    TestFlow priority(int value) {
        priority = value;
        return this;
    }

    TestFlow cooldown(Duration value) {
        cooldown = value;
        return this;
    }

    TestFlow once() {
        reentry = Reentry.ONCE;
        return this;
    }

    TestFlow condition(String text, Condition condition) {
        conditions.put(text, condition);
        return this;
    }

    TestFlow arm(Assignment value) {
        assignment = value;
        return this;
    }

    TestFlow reads(String... features) {
        featuresRead = Set.of(features);
        return this;
    }

    TestFlow models(String... models) {
        modelsRead = Set.of(models);
        return this;
    }

    TestFlow content(String... blocks) {
        contentBlocks = List.of(blocks);
        return this;
    }

    /** Variables of the chosen blocks, named {@code block.variable}. */
    TestFlow contentVariables(Map<String, String> variables) {
        contentVariables = Map.copyOf(variables);
        return this;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public Duration cooldown() {
        return cooldown;
    }

    @Override
    public Reentry reentry() {
        return reentry;
    }

    @Override
    public boolean triggeredBy(Trigger trigger) {
        return Trigger.PATTERN.equals(trigger.kind) && triggerName.equals(trigger.name);
    }

    @Override
    public List<String> failedConditions(
            CustomerFeatures features, Map<String, CustomerScore> scores) {
        List<String> failed = new ArrayList<>();
        conditions.forEach(
                (text, condition) -> {
                    if (!condition.test(features)) {
                        failed.add(text);
                    }
                });
        return failed;
    }

    @Override
    public List<String> contentBlocks(
            CustomerFeatures features, Map<String, CustomerScore> scores) {
        return contentBlocks;
    }

    @Override
    public Map<String, String> contentVariables(
            CustomerFeatures features, Map<String, CustomerScore> scores) {
        return contentVariables;
    }

    @Override
    public Assignment assign(String customerId) {
        return assignment;
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
        return "esp";
    }

    @Override
    public String templateId() {
        return id + "_template";
    }
}
