package io.personalize.job.carts;

import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.recommend.FactsAnswer;
import io.personalize.core.recommend.SeedRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One lifecycle change on its way through the recommendation stages, keyed by customer: what has
 * come back so far. In {@link CandidatesFunction}, the rows of its cart products and recent views;
 * from there to {@link RecommendMergeFunction}, the rows cut to the candidates that can be picked
 * and whether every subtask was asked for categories and lists; there, their answers. Either part
 * may arrive before the change itself. A Flink POJO.
 */
public class PendingRecommendation {
    public String requestId;

    /** The lifecycle change; null until it arrives. */
    public CartAbandonment change;

    public List<SeedRow> rows = new ArrayList<>();

    /** Whether a second round was asked: then every subtask's answer is awaited. */
    public boolean factsAsked;

    /** The category the trending lists were asked for; null for none. */
    public String trendingCategory;

    public List<FactsAnswer> answers = new ArrayList<>();

    public PendingRecommendation() {}

    PendingRecommendation(String requestId) {
        this.requestId = requestId;
    }

    /** Whether every subtask answered the second round, or none was asked. */
    boolean answered() {
        return !factsAsked || (!answers.isEmpty() && answers.size() == answers.get(0).subtasks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingRecommendation other
                && factsAsked == other.factsAsked
                && Objects.equals(requestId, other.requestId)
                && Objects.equals(change, other.change)
                && Objects.equals(rows, other.rows)
                && Objects.equals(trendingCategory, other.trendingCategory)
                && Objects.equals(answers, other.answers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId);
    }

    @Override
    public String toString() {
        return "PendingRecommendation{" + requestId + ", " + rows.size() + " rows}";
    }
}
