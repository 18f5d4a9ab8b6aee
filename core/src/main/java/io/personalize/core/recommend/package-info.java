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
 */
package io.personalize.core.recommend;
