package io.personalize.job.scoring;

import io.personalize.core.scoring.CustomerScore;
import java.util.Map;

/**
 * The scores a customer was last scored with, and what from: the serving models' fingerprint and
 * the champions' inputs. A Flink POJO, kept in keyed state by the scoring stage.
 */
public class ScoreMemo {
    public String models;
    public float[] inputs;

    /** Event time of the features last scored. */
    public long scoredAsOf;

    public Map<String, CustomerScore> champions;

    public ScoreMemo() {}

    ScoreMemo(
            String models, float[] inputs, long scoredAsOf, Map<String, CustomerScore> champions) {
        this.models = models;
        this.inputs = inputs;
        this.scoredAsOf = scoredAsOf;
        this.champions = champions;
    }
}
