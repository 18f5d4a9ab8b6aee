/**
 * Product recommendations in plain Java, for the Flink job to wrap.
 *
 * <p>{@link io.personalize.core.recommend.CoOccurrenceModel} learns from interactions which
 * products go together and which are popular, with time decay; {@link
 * io.personalize.core.recommend.ProductCatalog} says what each product is and whether it is in
 * stock; {@link io.personalize.core.recommend.Recommender} turns a {@link
 * io.personalize.core.recommend.CustomerContext} into {@link
 * io.personalize.core.recommend.Recommendation}s. The model is checkpointed as a list of {@link
 * io.personalize.core.recommend.ModelEntry} POJOs.
 *
 * <p>The job runs the model partitioned by product: each product's {@link
 * io.personalize.core.recommend.ProductSlice} learns from {@link
 * io.personalize.core.recommend.ProductSignal}s ({@link
 * io.personalize.core.recommend.ProductSlices}); a recommendation collects the rows of its cart
 * products and recent views ({@link io.personalize.core.recommend.SeedRow}), plans what else it
 * needs ({@link io.personalize.core.recommend.CandidatePlan}), asks every subtask for it ({@link
 * io.personalize.core.recommend.FactsRequest}, answered from a {@link
 * io.personalize.core.recommend.PopularityRanking}) and gives the merged {@link
 * io.personalize.core.recommend.PartialModel} to the same {@link
 * io.personalize.core.recommend.Recommender}.
 */
package io.personalize.core.recommend;
