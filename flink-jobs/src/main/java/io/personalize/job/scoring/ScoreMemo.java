package io.personalize.job.scoring;

import io.personalize.core.scoring.CustomerScore;
import io.personalize.models.ServingModels;
import java.util.Map;

/**
 * The scores a customer was last scored with, and what from: the serving models' fingerprint and
 * the champions' inputs. A Flink POJO, kept in keyed state by the scoring stage.
 */
public class ScoreMemo {
    public String models;
    public float[] inputs;

    /** The champions' columns of other types than float, written out exactly; null when none. */
    public byte[] typedInputs;

    /** Event time of the features last scored. */
    public long scoredAsOf;

    public Map<String, CustomerScore> champions;

    public ScoreMemo() {}

    ScoreMemo(
            String models,
            ServingModels.ChampionInputs inputs,
            long scoredAsOf,
            Map<String, CustomerScore> champions) {
        this.models = models;
        this.inputs = inputs.floats();
        this.typedInputs = inputs.others();
        this.scoredAsOf = scoredAsOf;
        this.champions = champions;
    }
}
