package io.personalize.job.carts;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.ProductInteraction;
import io.personalize.core.recommend.FactsAnswer;
import io.personalize.core.recommend.FactsRequest;
import io.personalize.core.recommend.ProductRequest;
import io.personalize.core.recommend.ProductSignal;
import io.personalize.core.recommend.SeedRow;
import io.personalize.job.Operators;
import io.personalize.job.config.CartSettings;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The recommender at the job's parallelism: the co-occurrence model partitioned by product, asked
 * in two rounds per lifecycle change and merged per customer. No operator runs as one subtask.
 *
 * <pre>
 * interactions -> own + one signal per companion --keyBy product--> rows
 * lifecycle + browse abandonments -> one request per seed --keyBy product--> rows
 * rows (each request's row as of its time) --keyBy customer--> candidates
 * lifecycle + browse abandonments (partitioned by customer, no shuffle) --> candidates
 * candidates (second round, when needed) --broadcast--> facts
 * interactions -> own signal --keyBy product--> facts
 * candidates (planned, no shuffle) --> merge
 * facts (every subtask's answer) --keyBy customer--> merge -> cart_abandonments, decisions
 *                                                             (side) browse_abandonments, decisions
 * </pre>
 *
 * A cart is seeded by its products and the customer's recent views, a browse abandonment by the
 * browsed product alone ({@code CustomerContext.seededBy}).
 *
 * <p>The result is the same whatever the parallelism (see {@code ProductSlices}, {@code
 * PopularityRanking} and {@code PartialModel} in core).
 */
final class RecommendStages {
    private RecommendStages() {}

    /** The recommended cart lifecycle changes and browse abandonments. */
    record Recommended(
            DataStream<CartAbandonment> lifecycle, DataStream<BrowseAbandonment> browsed) {}

    /**
     * @param lifecycle cart lifecycle changes, partitioned by customer
     * @param browsed browse abandonments, partitioned by customer in the same way
     */
    static Recommended build(
            DataStream<ProductInteraction> interactions,
            DataStream<CartAbandonment> lifecycle,
            DataStream<BrowseAbandonment> browsed,
            CartSettings settings) {
        TypeInformation<PendingRecommendation> pendingType =
                TypeInformation.of(PendingRecommendation.class);
        KeyedStream<PendingRecommendation, String> asked =
                DataStreamUtils.reinterpretAsKeyedStream(
                        lifecycle
                                .map(PendingRecommendation::of, pendingType)
                                .name("Cart changes to recommend")
                                .union(
                                        browsed.map(PendingRecommendation::of, pendingType)
                                                .name("Browse abandonments to recommend")),
                        new PendingKey());
        TypeInformation<ProductSignal> signalType = TypeInformation.of(ProductSignal.class);
        DataStream<ProductSignal> pairSignals =
                interactions
                        .flatMap(new InteractionSignals(true), signalType)
                        .uid(Operators.RECOMMEND_SIGNALS_UID)
                        .name(Operators.RECOMMEND_SIGNALS_NAME);
        DataStream<ProductSignal> ownSignals =
                interactions
                        .flatMap(new InteractionSignals(false), signalType)
                        .uid(Operators.RECOMMEND_OWN_SIGNALS_UID)
                        .name(Operators.RECOMMEND_OWN_SIGNALS_NAME);
        DataStream<ProductRequest> requests =
                asked.flatMap(new SeedRequests(), TypeInformation.of(ProductRequest.class))
                        .uid(Operators.RECOMMEND_REQUESTS_UID)
                        .name(Operators.RECOMMEND_REQUESTS_NAME);

        DataStream<SeedRow> rows =
                pairSignals
                        .keyBy(s -> s.productId, Types.STRING)
                        .connect(requests.keyBy(r -> r.productId, Types.STRING))
                        .process(
                                new ProductRowsFunction(settings),
                                TypeInformation.of(SeedRow.class))
                        .uid(Operators.RECOMMEND_ROWS_UID)
                        .name(Operators.RECOMMEND_ROWS_NAME);

        SingleOutputStreamOperator<PendingRecommendation> planned =
                asked.connect(rows.keyBy(r -> r.customerKey, Types.STRING))
                        .process(
                                new CandidatesFunction(settings),
                                TypeInformation.of(PendingRecommendation.class))
                        .uid(Operators.RECOMMEND_CANDIDATES_UID)
                        .name(Operators.RECOMMEND_CANDIDATES_NAME);

        DataStream<FactsRequest> factsRequests =
                planned.getSideOutput(CandidatesFunction.FACTS_REQUESTS);
        DataStream<FactsAnswer> answers =
                ownSignals
                        .keyBy(s -> s.productId, Types.STRING)
                        .connect(factsRequests.broadcast())
                        .transform(
                                Operators.RECOMMEND_FACTS_NAME,
                                TypeInformation.of(FactsAnswer.class),
                                new ProductFactsOperator(settings))
                        .uid(Operators.RECOMMEND_FACTS_UID);

        SingleOutputStreamOperator<CartAbandonment> merged =
                DataStreamUtils.reinterpretAsKeyedStream(planned, new PendingKey())
                        .connect(answers.keyBy(a -> a.customerKey, Types.STRING))
                        .process(
                                new RecommendMergeFunction(settings),
                                TypeInformation.of(CartAbandonment.class))
                        .uid(Operators.RECOMMEND_MERGE_UID)
                        .name(Operators.RECOMMEND_NAME);
        return new Recommended(
                merged, merged.getSideOutput(RecommendMergeFunction.BROWSE_ABANDONMENTS));
    }

    static final class PendingKey implements KeySelector<PendingRecommendation, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(PendingRecommendation p) {
            return p.customerKey();
        }
    }
}
