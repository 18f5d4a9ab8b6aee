package io.personalize.job.carts;

import io.personalize.core.carts.ProductInteraction;
import io.personalize.core.recommend.ProductSignal;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A product interaction as the {@link ProductSignal}s of the model partitioned by product: with
 * {@code pairs}, the product's own signal and one for each companion (for the co-occurrence rows);
 * without, the product's own signal only, without companions (for popularity and categories).
 * Interactions of a closed key carry nothing to learn, and those carried over to a customer at a
 * login were learned under the visitor already.
 */
final class InteractionSignals implements FlatMapFunction<ProductInteraction, ProductSignal> {
    private static final long serialVersionUID = 1L;

    private final boolean pairs;

    InteractionSignals(boolean pairs) {
        this.pairs = pairs;
    }

    @Override
    public void flatMap(ProductInteraction interaction, Collector<ProductSignal> out) {
        if (interaction.kind == ProductInteraction.Kind.CLOSED
                || interaction.productId == null
                || interaction.carriedAt != null) {
            return;
        }
        if (!pairs) {
            out.collect(
                    ProductSignal.own(
                            interaction.productId,
                            interaction.category,
                            interaction.weight(),
                            interaction.at));
            return;
        }
        for (ProductSignal signal :
                ProductSignal.of(
                        interaction.productId,
                        interaction.category,
                        interaction.weight(),
                        interaction.at,
                        interaction.companions)) {
            out.collect(signal);
        }
    }
}
