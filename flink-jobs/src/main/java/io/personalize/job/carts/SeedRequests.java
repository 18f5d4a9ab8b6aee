package io.personalize.job.carts;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.recommend.CandidatePlan;
import io.personalize.core.recommend.CustomerContext;
import io.personalize.core.recommend.ProductRequest;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The first round of a recommendation: for an abandoned cart or a due reminder, one {@link
 * ProductRequest} per cart product and recent view; for a browse abandonment, one for the browsed
 * product; each to the owner of its co-occurrence row. Other lifecycle changes ask nothing.
 */
final class SeedRequests implements FlatMapFunction<PendingRecommendation, ProductRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(PendingRecommendation p, Collector<ProductRequest> out) {
        if (!p.recommended()) {
            return;
        }
        for (String seed : CandidatePlan.seeds(p.context())) {
            out.collect(new ProductRequest(p.requestId, p.customerKey(), seed, p.at()));
        }
    }

    /** Whether the change gets recommendations: an abandonment or a due reminder. */
    static boolean recommended(CartAbandonment change) {
        return change.status == CartAbandonment.Status.ABANDONED
                || change.status == CartAbandonment.Status.REMINDER_DUE;
    }

    /** One lifecycle change: its abandonment, status and time. */
    static String requestId(CartAbandonment change) {
        return change.abandonmentId + "/" + change.status.wireName() + "/" + change.at;
    }

    /**
     * One browse abandonment: its customer, product and time (a customer's key, as a cart's
     * abandonment id, keeps requests of different customers apart where rows are answered).
     */
    static String requestId(BrowseAbandonment browse) {
        return "browse/" + browse.customerKey + "/" + browse.productId + "/" + browse.at;
    }

    static CustomerContext context(CartAbandonment change) {
        return change.context == null ? new CustomerContext() : change.context;
    }
}
