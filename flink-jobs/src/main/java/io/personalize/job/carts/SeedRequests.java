package io.personalize.job.carts;

import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.recommend.CandidatePlan;
import io.personalize.core.recommend.CustomerContext;
import io.personalize.core.recommend.ProductRequest;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The first round of a recommendation: for an abandoned cart or a due reminder, one {@link
 * ProductRequest} per cart product and recent view, to the owner of its co-occurrence row. Other
 * lifecycle changes ask nothing.
 */
final class SeedRequests implements FlatMapFunction<CartAbandonment, ProductRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(CartAbandonment change, Collector<ProductRequest> out) {
        if (!recommended(change)) {
            return;
        }
        String id = requestId(change);
        for (String seed : CandidatePlan.seeds(context(change))) {
            out.collect(new ProductRequest(id, change.customerKey, seed, change.at));
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

    static CustomerContext context(CartAbandonment change) {
        return change.context == null ? new CustomerContext() : change.context;
    }
}
