package io.personalize.job.carts;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.recommend.FactsAnswer;
import io.personalize.core.recommend.PartialModel;
import io.personalize.core.recommend.ProductCatalog;
import io.personalize.core.recommend.Recommender;
import io.personalize.job.config.CartSettings;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The last merge of a recommendation, keyed by customer: a planned lifecycle change ({@link
 * PendingRecommendation}, first input, from {@link CandidatesFunction} without a shuffle) waits for
 * the answer of every subtask of {@link ProductFactsOperator} when it asked them (second input),
 * then the {@link Recommender} picks the top products from the rows and answers ({@link
 * PartialModel}) and the catalog. Emits exactly one record per lifecycle change: abandonments and
 * due reminders with their recommendations, recovered and emptied carts as they came, each stamped
 * with its processing time. Emits each browse abandonment once on {@link #BROWSE_ABANDONMENTS},
 * with its recommendations and what the catalog says of the browsed product.
 */
public final class RecommendMergeFunction
        extends KeyedCoProcessFunction<
                String, PendingRecommendation, FactsAnswer, CartAbandonment> {
    private static final long serialVersionUID = 1L;

    /** Browse abandonments with their product described and their recommendations. */
    public static final OutputTag<BrowseAbandonment> BROWSE_ABANDONMENTS =
            new OutputTag<>(
                    "recommended-browse-abandonments", TypeInformation.of(BrowseAbandonment.class));

    private final CartSettings settings;

    private transient MapState<String, PendingRecommendation> pending;
    private transient Recommender recommender;
    private transient CatalogWatcher catalog;
    private transient Counter recommended;
    private transient Counter recommendedBrowses;
    private transient Map<CartAbandonment.Status, Counter> byStatus;

    public RecommendMergeFunction(CartSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "recommendations-collecting-answers",
                                        Types.STRING,
                                        TypeInformation.of(PendingRecommendation.class)));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("personalize");
        recommender = new Recommender(settings.recommendationCount());
        catalog =
                new CatalogWatcher(settings.catalogPath(), settings.catalogPollInterval(), metrics);
        recommended = metrics.counter("recommended_carts");
        recommendedBrowses = metrics.counter("recommended_browse_abandonments");
        byStatus = new EnumMap<>(CartAbandonment.Status.class);
        for (CartAbandonment.Status status : CartAbandonment.Status.values()) {
            byStatus.put(
                    status,
                    metrics.addGroup("status", status.wireName()).counter("cart_lifecycle"));
        }
    }

    @Override
    public void processElement1(
            PendingRecommendation p, Context ctx, Collector<CartAbandonment> out) throws Exception {
        PendingRecommendation early = pending.get(p.requestId);
        if (early != null) {
            p.addEarly(early);
        }
        emitWhenAnswered(p, ctx, out);
    }

    @Override
    public void processElement2(FactsAnswer answer, Context ctx, Collector<CartAbandonment> out)
            throws Exception {
        PendingRecommendation p = pending.get(answer.requestId);
        if (p == null) {
            p = new PendingRecommendation(answer.requestId);
        }
        p.answers.add(answer);
        emitWhenAnswered(p, ctx, out);
    }

    private void emitWhenAnswered(
            PendingRecommendation p, Context ctx, Collector<CartAbandonment> out) throws Exception {
        if (!p.arrived() || !p.answered()) {
            pending.put(p.requestId, p);
            return;
        }
        pending.remove(p.requestId);
        if (p.browse != null) {
            ctx.output(BROWSE_ABANDONMENTS, recommended(p));
            return;
        }
        CartAbandonment change = p.change;
        if (SeedRequests.recommended(change)) {
            change.recommendations =
                    recommender.recommend(
                            SeedRequests.context(change),
                            PartialModel.of(p.rows, p.trendingCategory, p.answers),
                            catalog.current());
            recommended.inc();
        }
        change.processedAt = System.currentTimeMillis();
        byStatus.get(change.status).inc();
        out.collect(change);
    }

    /** The browse abandonment with its product described and its recommendations. */
    private BrowseAbandonment recommended(PendingRecommendation p) {
        BrowseAbandonment browse = p.browse;
        ProductCatalog products = catalog.current();
        browse.describeWith(products.info(browse.productId));
        browse.recommendations =
                recommender.recommend(
                        p.context(),
                        PartialModel.of(p.rows, p.trendingCategory, p.answers),
                        products);
        recommendedBrowses.inc();
        return browse;
    }
}
