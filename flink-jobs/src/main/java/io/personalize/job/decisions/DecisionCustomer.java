package io.personalize.job.decisions;

import io.personalize.core.decisions.DecisionState;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the decision stage keeps of one customer, in one keyed value: the policy's state, the latest
 * features and their champion scores, whether each condition-started flow's condition held last
 * time, the inputs waiting for their turn, and how far the customer's decisions have got in event
 * time. A Flink POJO.
 */
public class DecisionCustomer {
    public DecisionState policy = new DecisionState();
    public CustomerFeatures features;
    public Map<String, CustomerScore> scores = new HashMap<>();
    public Map<String, Boolean> conditions = new HashMap<>();

    /**
     * The features and scores of the last moment received (decided or waiting): what the next
     * moment's changes are laid over ({@link MomentFields#merge}). Null before the first.
     */
    public CustomerFeatures received;

    public Map<String, CustomerScore> receivedScores;

    /** Inputs waiting for their turn, in the order they will be decided. */
    public List<WaitingInput> waiting = new ArrayList<>();

    /** The event time of the last moment decided: decisions never go back in time. */
    public long clock = Long.MIN_VALUE;

    /** The wake-up timer set for the earliest deferred decision; null when none is set. */
    public Long wakeUpAt;

    public DecisionCustomer() {}
}
