package io.personalize.job.carts;

import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.ProductInteraction;
import io.personalize.core.recommend.CoOccurrenceModel;
import io.personalize.core.recommend.ModelEntry;
import io.personalize.core.recommend.Recommender;
import io.personalize.job.config.CartSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Learns item-to-item co-occurrence and popularity from every product interaction (first input) and
 * puts the top products on each abandoned cart and due reminder (second input). The other lifecycle
 * changes pass through unchanged. Every record leaves stamped with its processing time.
 *
 * <p><b>In event-time order.</b> Interactions and lifecycle changes wait until the watermark passes
 * them, then go through the model in the order of their event times (interactions of an instant
 * before the changes of that instant, ties by content): an abandonment is recommended from exactly
 * the interactions before it, so the same input gives the same recommendations whatever the timing.
 * Interactions that come after the watermark passed them (later than the allowed out-of-orderness)
 * are learnt at once.
 *
 * <p>Runs as one subtask: the model is global (a product's neighbours come from every customer's
 * sessions), and its input is small records without customer ids. The model and what waits are
 * checkpointed in operator state.
 */
public final class RecommendOperator extends AbstractStreamOperator<CartAbandonment>
        implements TwoInputStreamOperator<ProductInteraction, CartAbandonment, CartAbandonment>,
                BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    private static final Comparator<ProductInteraction> INTERACTION_ORDER =
            Comparator.<ProductInteraction>comparingLong(i -> i.at)
                    .thenComparing(i -> i.productId, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(i -> i.kind)
                    .thenComparing(i -> String.valueOf(i.category))
                    .thenComparing(i -> String.valueOf(i.companions))
                    .thenComparing(i -> String.valueOf(i.customerKey));
    private static final Comparator<CartAbandonment> CHANGE_ORDER =
            Comparator.<CartAbandonment>comparingLong(a -> a.at)
                    .thenComparing(a -> String.valueOf(a.abandonmentId))
                    .thenComparing(a -> a.status);

    private final CartSettings settings;

    private transient CoOccurrenceModel model;
    private transient Recommender recommender;
    private transient CatalogWatcher catalog;
    private transient ListState<ModelEntry> checkpointedModel;
    private transient ListState<ProductInteraction> checkpointedInteractions;
    private transient ListState<CartAbandonment> checkpointedChanges;
    private transient List<ProductInteraction> interactions;
    private transient List<CartAbandonment> changes;
    private transient Counter recommended;
    private transient Map<CartAbandonment.Status, Counter> byStatus;
    private transient long combinedWatermark;
    private transient boolean ended1;
    private transient boolean ended2;

    public RecommendOperator(CartSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var store = context.getOperatorStateStore();
        checkpointedModel =
                store.getListState(
                        new ListStateDescriptor<>(
                                "co-occurrence-model", TypeInformation.of(ModelEntry.class)));
        checkpointedInteractions =
                store.getListState(
                        new ListStateDescriptor<>(
                                "waiting-interactions",
                                TypeInformation.of(ProductInteraction.class)));
        checkpointedChanges =
                store.getListState(
                        new ListStateDescriptor<>(
                                "waiting-changes", TypeInformation.of(CartAbandonment.class)));
        List<ModelEntry> entries = new ArrayList<>();
        checkpointedModel.get().forEach(entries::add);
        model =
                CoOccurrenceModel.restore(
                        settings.recommendationHalfLife(),
                        settings.maxNeighbours(),
                        CartSettings.MAX_PRODUCTS,
                        entries);
        interactions = new ArrayList<>();
        checkpointedInteractions.get().forEach(interactions::add);
        changes = new ArrayList<>();
        checkpointedChanges.get().forEach(changes::add);
        combinedWatermark = Long.MIN_VALUE;
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup metrics = getMetricGroup().addGroup("personalize");
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
    public void processElement1(StreamRecord<ProductInteraction> element) {
        ProductInteraction interaction = element.getValue();
        if (interaction.kind == ProductInteraction.Kind.CLOSED) {
            return; // a key merged into a customer: nothing to learn
        }
        if (interaction.at <= watermark()) {
            learn(interaction); // late: its place in the order has passed
        } else {
            interactions.add(interaction);
        }
    }

    @Override
    public void processElement2(StreamRecord<CartAbandonment> element) {
        CartAbandonment change = element.getValue();
        if (change.at <= watermark()) {
            recommend(change);
        } else {
            changes.add(change);
        }
    }

    private long watermark() {
        return ended1 && ended2 ? Long.MAX_VALUE : combinedWatermark;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        combinedWatermark = mark.getTimestamp();
        release(combinedWatermark);
        super.processWatermark(mark);
    }

    @Override
    public void endInput(int inputId) {
        if (inputId == 1) {
            ended1 = true;
        } else {
            ended2 = true;
        }
        if (ended1 && ended2) {
            release(Long.MAX_VALUE);
        }
    }

    /** Everything up to {@code until}, in event-time order. */
    private void release(long until) {
        if (interactions.isEmpty() && changes.isEmpty()) {
            return;
        }
        interactions.sort(INTERACTION_ORDER);
        changes.sort(CHANGE_ORDER);
        int i = 0;
        int c = 0;
        while (true) {
            ProductInteraction nextInteraction =
                    i < interactions.size() && interactions.get(i).at <= until
                            ? interactions.get(i)
                            : null;
            CartAbandonment nextChange =
                    c < changes.size() && changes.get(c).at <= until ? changes.get(c) : null;
            if (nextInteraction != null
                    && (nextChange == null || nextInteraction.at <= nextChange.at)) {
                learn(nextInteraction);
                i++;
            } else if (nextChange != null) {
                recommend(nextChange);
                c++;
            } else {
                break;
            }
        }
        interactions.subList(0, i).clear();
        changes.subList(0, c).clear();
    }

    private void learn(ProductInteraction interaction) {
        model.record(
                interaction.productId,
                interaction.category,
                interaction.weight(),
                interaction.at,
                interaction.companions);
    }

    private void recommend(CartAbandonment abandonment) {
        if (abandonment.status == CartAbandonment.Status.ABANDONED
                || abandonment.status == CartAbandonment.Status.REMINDER_DUE) {
            abandonment.recommendations =
                    recommender.recommend(abandonment.context, model, catalog.current());
            recommended.inc();
        }
        abandonment.processedAt = System.currentTimeMillis();
        byStatus.get(abandonment.status).inc();
        output.collect(new StreamRecord<>(abandonment, abandonment.at));
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointedModel.update(model.checkpoint());
        checkpointedInteractions.update(interactions);
        checkpointedChanges.update(changes);
    }
}
