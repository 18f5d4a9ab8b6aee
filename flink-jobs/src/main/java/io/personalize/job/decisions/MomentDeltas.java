package io.personalize.job.decisions;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.job.Descriptors;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Slims each moment before it crosses to the decision stage: keyed by customer and chained behind
 * scoring, it keeps the customer's previous moment and marks in {@link DecisionInput#fields} only
 * the features that changed since, and leaves the scores out ({@code null}) when they are those of
 * the previous moment. The decision stage, which receives every moment of a customer in order on
 * the same channel, lays them over the moment it holds ({@link MomentFields#merge}), so it decides
 * on exactly the features and scores it would have received whole.
 *
 * <p>Without a previous moment (the customer's first, or after the state expired) every field goes.
 * The previous moment is kept by reference: the customer stage builds a new features object for
 * every moment and nothing changes one after it was emitted.
 */
public class MomentDeltas extends KeyedProcessFunction<String, DecisionInput, DecisionInput> {
    private static final long serialVersionUID = 1L;

    private final Duration stateTtl;
    private transient ValueState<SentMoment> sent;

    public MomentDeltas(Duration stateTtl) {
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext context) {
        sent = getRuntimeContext().getState(Descriptors.sentMoment(stateTtl));
    }

    @Override
    public void processElement(DecisionInput in, Context ctx, Collector<DecisionInput> out)
            throws Exception {
        if (in.erased) {
            sent.clear();
            out.collect(in);
            return;
        }
        if (in.features == null) {
            out.collect(in);
            return;
        }
        SentMoment previous = sent.value();
        CustomerFeatures features = in.features;
        Map<String, CustomerScore> scores = in.scores;
        DecisionInput slim = new DecisionInput();
        slim.customerKey = in.customerKey;
        slim.features = features;
        if (previous == null) {
            slim.fields = MomentFields.ALL;
            slim.scores = scores;
            previous = new SentMoment();
        } else {
            slim.fields = MomentFields.changed(previous.features, features);
            slim.scores = sameScores(previous.scores, scores) ? null : scores;
        }
        previous.features = features;
        previous.scores = scores;
        sent.update(previous);
        out.collect(slim);
    }

    /** Equal in what the decisions read of each score (see {@link DecisionInputSerializer}). */
    static boolean sameScores(
            Map<String, CustomerScore> previous, Map<String, CustomerScore> next) {
        if (previous == next) {
            return true; // scoring hands on the very map it kept when no model input moved
        }
        if (previous == null || next == null || previous.size() != next.size()) {
            return false;
        }
        for (Map.Entry<String, CustomerScore> e : next.entrySet()) {
            CustomerScore a = previous.get(e.getKey());
            CustomerScore b = e.getValue();
            if (a == null || b == null) {
                if (a != b) {
                    return false;
                }
            } else if (Double.doubleToRawLongBits(a.score) != Double.doubleToRawLongBits(b.score)
                    || a.fallback != b.fallback
                    || !Objects.equals(a.version, b.version)
                    || !Objects.equals(a.label, b.label)
                    || !Objects.equals(a.model, b.model)) {
                return false;
            }
        }
        return true;
    }

    /** The customer's previous moment as the decision stage holds it. A Flink POJO. */
    public static class SentMoment {
        public CustomerFeatures features;
        public Map<String, CustomerScore> scores;

        public SentMoment() {}
    }
}
