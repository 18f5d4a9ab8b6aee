package io.personalize.job.carts;

import io.personalize.core.recommend.CandidatePlan;
import io.personalize.core.recommend.CustomerContext;
import io.personalize.core.recommend.FactsRequest;
import io.personalize.core.recommend.SeedRow;
import io.personalize.job.config.CartSettings;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The first merge of a recommendation, keyed by customer: each cart lifecycle change or browse
 * abandonment (first input, partitioned by customer as the patterns emit them) waits for the rows
 * of its seeds ({@link SeedRow}s, second input: cart products and recent views, or the browsed
 * product), then is planned ({@link CandidatePlan}): the rows are cut to the candidates that can
 * still be picked, and when categories or the popularity lists are needed, a {@link FactsRequest}
 * goes out on {@link #FACTS_REQUESTS} (to every subtask of {@link ProductFactsOperator}). The
 * change goes on to {@link RecommendMergeFunction} as a {@link PendingRecommendation}. Changes that
 * get no recommendations go on at once.
 */
public final class CandidatesFunction
        extends KeyedCoProcessFunction<
                String, PendingRecommendation, SeedRow, PendingRecommendation> {
    private static final long serialVersionUID = 1L;

    /** The second round of the recommendations that need one. */
    public static final OutputTag<FactsRequest> FACTS_REQUESTS =
            new OutputTag<>("facts-requests", TypeInformation.of(FactsRequest.class));

    private final CartSettings settings;

    private transient MapState<String, PendingRecommendation> pending;
    private transient CatalogWatcher catalog;

    public CandidatesFunction(CartSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "recommendations-collecting-rows",
                                        Types.STRING,
                                        TypeInformation.of(PendingRecommendation.class)));
        catalog =
                new CatalogWatcher(
                        settings.catalogPath(),
                        settings.catalogPollInterval(),
                        getRuntimeContext().getMetricGroup().addGroup("personalize"));
    }

    @Override
    public void processElement1(
            PendingRecommendation arrived, Context ctx, Collector<PendingRecommendation> out)
            throws Exception {
        if (!arrived.recommended()) {
            out.collect(arrived);
            return;
        }
        PendingRecommendation early = pending.get(arrived.requestId);
        if (early != null) {
            arrived.addEarly(early);
        }
        planWhenComplete(arrived, ctx, out);
    }

    @Override
    public void processElement2(SeedRow row, Context ctx, Collector<PendingRecommendation> out)
            throws Exception {
        PendingRecommendation p = pending.get(row.requestId);
        if (p == null) {
            p = new PendingRecommendation(row.requestId);
        }
        p.rows.add(row);
        planWhenComplete(p, ctx, out);
    }

    private void planWhenComplete(
            PendingRecommendation p, Context ctx, Collector<PendingRecommendation> out)
            throws Exception {
        CustomerContext customer = p.arrived() ? p.context() : null;
        if (customer == null || p.rows.size() < CandidatePlan.seeds(customer).size()) {
            pending.put(p.requestId, p);
            return;
        }
        pending.remove(p.requestId);
        int count = settings.recommendationCount();
        CandidatePlan plan = CandidatePlan.of(customer, p.rows, catalog.current(), count);
        p.rows = plan.rows;
        p.trendingCategory = plan.trendingCategory;
        p.factsAsked = plan.needsFacts();
        if (p.factsAsked) {
            ctx.output(FACTS_REQUESTS, plan.request(p.requestId, p.customerKey(), p.at(), count));
        }
        out.collect(p);
    }
}
