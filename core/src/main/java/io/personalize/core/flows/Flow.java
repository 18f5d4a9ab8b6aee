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
     * name), each as its source text; empty when all hold.
     */
    List<String> failedConditions(CustomerFeatures features, Map<String, CustomerScore> scores);

    /** The content block ids its ordered rules choose for these features and scores. */
    List<String> contentBlocks(CustomerFeatures features, Map<String, CustomerScore> scores);

    /** The experiment arm of a customer, or {@link Assignment#NONE} without an experiment. */
    Assignment assign(String customerId);

    /** Names of the features its rules read (recorded with each decision). */
    Set<String> featuresRead();

    /** Models whose scores its rules read. */
    Set<String> modelsRead();

    String endpointId();

    String templateId();

    /** May a customer enter a flow again? */
    enum Reentry {
        /** Once per customer, ever (as long as the decision state lives). */
        ONCE,
        /** Again after the cooldown. */
        AFTER_COOLDOWN
    }

    /**
     * A customer's arm in a flow's experiment: a variant, or the holdout (recorded, nothing sent).
     */
    record Assignment(String experimentId, String variant, boolean heldOut)
            implements Serializable {
        public static final Assignment NONE = new Assignment(null, null, false);
    }
}
