package io.personalize.core.flows;

import io.personalize.core.decisions.Trigger;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled email flow, as the decision policy sees it: what triggers it, the conditions that must
 * hold when it is decided and again when a deferred decision fires, its priority, cooldown and
 * re-entry rule, where it is delivered, its content rules and its experiment.
 *
 * <p>Rules are CEL over the features ({@link CustomerFeatures}, as of {@code features.asOf}) and
 * the champion scores by model name ({@code score('churn_risk')}, {@code
 * score_label('customer_clusters')}); {@code in_segment('id')} reads {@link
 * CustomerFeatures#segments}. A rule that cannot be decided — it needs a feature with no value and
 * no default, a score that is missing, or segments not yet evaluated — does not hold; CEL's {@code
 * &&} and {@code ||} still decide when their other side does ({@code false && unknown} is false,
 * {@code true || unknown} is true).
 */
public interface Flow extends Serializable {
    String id();

    /** Higher wins when several flows fire for a customer at the same moment. */
    int priority();

    /** Least time between two sends of this flow to one customer (zero: none). */
    Duration cooldown();

    Reentry reentry();

    /** Whether this trigger starts the flow (before its conditions). */
    boolean triggeredBy(Trigger trigger);

    /**
     * The flow's conditions that do not hold for these features and champion scores (by model
     * name), each as its source text; empty when all hold. For a flow started by a condition, its
     * trigger condition is checked first, with the others, so a deferred decision is not sent once
     * it stopped holding.
     */
    List<String> failedConditions(CustomerFeatures features, Map<String, CustomerScore> scores);

    /**
     * The content block ids its ordered rules choose for these features and scores: the rules are
     * tried in file order; a rule applies when it has no {@code when} or its {@code when} holds (an
     * undecidable one does not); an applying rule adds its blocks (a block already chosen keeps its
     * first place); an applying rule with {@code stop: true} ends the list.
     */
    List<String> contentBlocks(CustomerFeatures features, Map<String, CustomerScore> scores);

    /**
     * The variables the rules that {@link #contentBlocks} applies set for their blocks, each named
     * {@code block.variable} (e.g. {@code exclusive_discount.discount_code}); a block chosen by two
     * rules keeps the first rule's value of a variable both set. Empty without such variables.
     */
    default Map<String, String> contentVariables(
            CustomerFeatures features, Map<String, CustomerScore> scores) {
        return Map.of();
    }

    /** The experiment arm of a customer, or {@link Assignment#NONE} without an experiment. */
    Assignment assign(String customerId);

    /** Names of the features its rules read (recorded with each decision). */
    Set<String> featuresRead();

    /** Models whose scores its rules read. */
    Set<String> modelsRead();

    String endpointId();

    String templateId();

    /** The template for an experiment arm: the variant's own, else {@link #templateId()}. */
    default String templateId(Assignment assignment) {
        return templateId();
    }

    /** Whether the flow is started by a condition (trigger kind {@link Trigger#CONDITION}). */
    default boolean startsOnCondition() {
        return false;
    }

    /**
     * For a flow started by a condition: whether the condition holds for these features and scores
     * (false when it cannot be decided, and for every other flow). The decision stage builds a
     * {@link Trigger#CONDITION} trigger named after the flow when it goes from not holding to
     * holding for a customer.
     */
    default boolean triggerConditionHolds(
            CustomerFeatures features, Map<String, CustomerScore> scores) {
        return false;
    }

    /** May a customer enter a flow again? */
    enum Reentry {
        /** Once per customer, ever (as long as the decision state lives). */
        ONCE,
        /** Again after the cooldown. */
        AFTER_COOLDOWN
    }

    /**
     * A customer's arm in a flow's experiment: a variant, or the holdout (recorded, nothing sent;
     * its variant is {@link #HOLDOUT}).
     */
    record Assignment(String experimentId, String variant, boolean heldOut)
            implements Serializable {
        public static final Assignment NONE = new Assignment(null, null, false);

        /** The variant recorded for held-out customers; no variant may take this id. */
        public static final String HOLDOUT = "holdout";
    }
}
