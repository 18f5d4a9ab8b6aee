package io.personalize.job.carts;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.recommend.CustomerContext;
import io.personalize.core.recommend.FactsAnswer;
import io.personalize.core.recommend.SeedRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One cart lifecycle change or browse abandonment on its way through the recommendation stages,
 * keyed by customer: what has come back so far. In {@link CandidatesFunction}, the rows of its
 * seeds (cart products and recent views, or the browsed product); from there to {@link
 * RecommendMergeFunction}, the rows cut to the candidates that can be picked and whether every
 * subtask was asked for categories and lists; there, their answers. Either part may arrive before
 * the change itself. A Flink POJO.
 */
public class PendingRecommendation {
    public String requestId;

    /** The cart lifecycle change; null until it arrives, and for a browse abandonment. */
    public CartAbandonment change;

    /** The browse abandonment; null until it arrives, and for a cart lifecycle change. */
    public BrowseAbandonment browse;

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

    /** A cart lifecycle change, as it enters the recommendation stages. */
    static PendingRecommendation of(CartAbandonment change) {
        PendingRecommendation p = new PendingRecommendation(SeedRequests.requestId(change));
        p.change = change;
        return p;
    }

    /** A browse abandonment, as it enters the recommendation stages. */
    static PendingRecommendation of(BrowseAbandonment browse) {
        PendingRecommendation p = new PendingRecommendation(SeedRequests.requestId(browse));
        p.browse = browse;
        return p;
    }

    /** Whether the change or the abandonment itself has arrived. */
    boolean arrived() {
        return change != null || browse != null;
    }

    /** Whether it gets recommendations: an abandoned cart, a due reminder, a browse abandonment. */
    boolean recommended() {
        return browse != null || (change != null && SeedRequests.recommended(change));
    }

    /** What the recommender is asked with; only when it {@link #arrived}. */
    CustomerContext context() {
        return browse != null
                ? CustomerContext.seededBy(browse.productId, browse.at)
                : SeedRequests.context(change);
    }

    String customerKey() {
        return browse != null ? browse.customerKey : change.customerKey;
    }

    /** Event time the recommendation is made as of. */
    long at() {
        return browse != null ? browse.at : change.at;
    }

    /** Whether every subtask answered the second round, or none was asked. */
    boolean answered() {
        return !factsAsked || (!answers.isEmpty() && answers.size() == answers.get(0).subtasks);
    }

    /** Takes over what a part that came before the change or abandonment collected. */
    void addEarly(PendingRecommendation early) {
        rows.addAll(early.rows);
        answers.addAll(early.answers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingRecommendation other
                && factsAsked == other.factsAsked
                && Objects.equals(requestId, other.requestId)
                && Objects.equals(change, other.change)
                && Objects.equals(browse, other.browse)
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
