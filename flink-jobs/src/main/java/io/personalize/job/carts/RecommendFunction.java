package io.personalize.job.carts;

import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.ProductInteraction;
import io.personalize.core.recommend.CoOccurrenceModel;
import io.personalize.core.recommend.ModelEntry;
import io.personalize.core.recommend.Recommender;
import io.personalize.job.config.CartSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.CoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Learns item-to-item co-occurrence and popularity from every product interaction (first input) and
 * puts the top products on each abandoned cart and due reminder (second input). The other lifecycle
 * changes pass through unchanged. Every record leaves stamped with its processing time.
 *
 * <p>Runs as one subtask: the model is global (a product's neighbours come from every customer's
 * sessions), and its input is small records without customer ids. The model is checkpointed in
 * operator state. Recommendations use the model as it stands when the abandonment arrives: the
 * interactions up to about the watermark, not exactly those before the abandonment's event time.
 */
public final class RecommendFunction
        extends CoProcessFunction<ProductInteraction, CartAbandonment, CartAbandonment>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final CartSettings settings;

    private transient CoOccurrenceModel model;
    private transient Recommender recommender;
    private transient CatalogWatcher catalog;
    private transient ListState<ModelEntry> checkpointedModel;
    private transient Counter recommended;
    private transient Map<CartAbandonment.Status, Counter> byStatus;

    public RecommendFunction(CartSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointedModel =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "co-occurrence-model",
                                        TypeInformation.of(ModelEntry.class)));
        List<ModelEntry> entries = new ArrayList<>();
        checkpointedModel.get().forEach(entries::add);
        model =
                CoOccurrenceModel.restore(
                        settings.recommendationHalfLife(),
                        settings.maxNeighbours(),
                        CartSettings.MAX_PRODUCTS,
                        entries);
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("personalize");
        recommender = new Recommender(settings.recommendationCount());
        catalog =
                new CatalogWatcher(settings.catalogPath(), settings.catalogPollInterval(), metrics);
        recommended = metrics.counter("recommended_carts");
        byStatus = new EnumMap<>(CartAbandonment.Status.class);
        for (CartAbandonment.Status status : CartAbandonment.Status.values()) {
            byStatus.put(
                    status,
                    metrics.addGroup("status", status.wireName()).counter("cart_lifecycle"));
        }
    }

    @Override
    public void processElement1(
            ProductInteraction interaction, Context ctx, Collector<CartAbandonment> out) {
        model.record(
                interaction.productId,
                interaction.category,
                interaction.weight(),
                interaction.at,
                interaction.companions);
    }

    @Override
    public void processElement2(
            CartAbandonment abandonment, Context ctx, Collector<CartAbandonment> out) {
        if (abandonment.status == CartAbandonment.Status.ABANDONED
                || abandonment.status == CartAbandonment.Status.REMINDER_DUE) {
            abandonment.recommendations =
                    recommender.recommend(abandonment.context, model, catalog.current());
            recommended.inc();
        }
        abandonment.processedAt = System.currentTimeMillis();
        byStatus.get(abandonment.status).inc();
        out.collect(abandonment);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointedModel.update(model.entries());
    }
}
