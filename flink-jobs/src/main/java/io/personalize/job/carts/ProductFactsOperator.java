package io.personalize.job.carts;

import io.personalize.core.recommend.FactsAnswer;
import io.personalize.core.recommend.FactsRequest;
import io.personalize.core.recommend.PopularityRanking;
import io.personalize.core.recommend.ProductSignal;
import io.personalize.core.recommend.ProductSlice;
import io.personalize.core.recommend.ProductSlices;
import io.personalize.job.config.CartSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Popularity and categories of the model partitioned by product: each product's own interactions
 * ({@link ProductSignal}s without pairs, first input, keyed by product) keep its popularity and
 * category in keyed state, and each subtask ranks its products ({@link PopularityRanking}, rebuilt
 * from the keyed state when the job starts or rescales). The second round of a recommendation
 * ({@link FactsRequest}, second input) is broadcast to every subtask, which answers with the
 * categories of the asked products it owns and its part of the popularity lists ({@link
 * FactsAnswer}).
 *
 * <p><b>In event-time order.</b> Signals wait in keyed state until the watermark passes them, then
 * are applied in {@link ProductSignal#ORDER}. A request waits too, and is answered once every
 * signal up to its time (and none after) is applied: the timers are advanced to each waiting
 * request's time in turn. Waiting requests are checkpointed in union operator state, so that after
 * a rescale every subtask has them all (each once). Late signals and requests are handled at once.
 */
public final class ProductFactsOperator extends AbstractStreamOperator<FactsAnswer>
        implements TwoInputStreamOperator<ProductSignal, FactsRequest, FactsAnswer>,
                Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    private static final ValueStateDescriptor<ProductSlice> SLICE =
            new ValueStateDescriptor<>("product-facts", TypeInformation.of(ProductSlice.class));
    private static final MapStateDescriptor<Long, List<ProductSignal>> WAITING =
            new MapStateDescriptor<>(
                    "waiting-signals",
                    Types.LONG,
                    Types.LIST(TypeInformation.of(ProductSignal.class)));
    private static final Comparator<FactsRequest> REQUEST_ORDER =
            Comparator.<FactsRequest>comparingLong(r -> r.at).thenComparing(r -> r.requestId);

    private final CartSettings settings;

    private transient ProductSlices slices;
    private transient ValueState<ProductSlice> slice;
    private transient MapState<Long, List<ProductSignal>> waiting;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient PopularityRanking ranking;
    private transient CatalogWatcher catalog;
    private transient ListState<FactsRequest> checkpointedRequests;
    private transient TreeMap<FactsRequest, FactsRequest> requests;
    private transient long watermark;

    public ProductFactsOperator(CartSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        checkpointedRequests =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        "waiting-facts-requests",
                                        TypeInformation.of(FactsRequest.class)));
        requests = new TreeMap<>(REQUEST_ORDER);
        for (FactsRequest request : checkpointedRequests.get()) {
            requests.put(request, request); // every subtask checkpointed the same: once each
        }
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void open() throws Exception {
        super.open();
        slices = new ProductSlices(settings.recommendationHalfLife(), settings.maxNeighbours());
        slice = getPartitionedState(SLICE);
        waiting = getPartitionedState(WAITING);
        timers = getInternalTimerService("facts-timers", VoidNamespaceSerializer.INSTANCE, this);
        catalog =
                new CatalogWatcher(
                        settings.catalogPath(),
                        settings.catalogPollInterval(),
                        getMetricGroup().addGroup("personalize"));
        ranking = new PopularityRanking(slices);
        List<String> products = new ArrayList<>();
        getKeyedStateBackend()
                .<VoidNamespace>getKeys(SLICE.getName(), VoidNamespace.INSTANCE)
                .forEach(key -> products.add((String) key));
        for (String product : products) {
            setCurrentKey(product);
            ranking.put(product, slice.value());
        }
    }

    @Override
    public void processElement1(StreamRecord<ProductSignal> element) throws Exception {
        ProductSignal signal = element.getValue();
        if (signal.at <= watermark) {
            learn(List.of(signal)); // late: its place in the order has passed
            return;
        }
        List<ProductSignal> at = waiting.get(signal.at);
        if (at == null) {
            at = new ArrayList<>();
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, signal.at);
        }
        at.add(signal);
        waiting.put(signal.at, at);
    }

    @Override
    public void processElement2(StreamRecord<FactsRequest> element) throws Exception {
        FactsRequest request = element.getValue();
        if (request.at <= watermark) {
            answer(request);
        } else {
            requests.put(request, request);
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        List<ProductSignal> signals = waiting.get(timer.getTimestamp());
        if (signals != null) {
            waiting.remove(timer.getTimestamp());
            signals.sort(ProductSignal.ORDER);
            learn(signals);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

    /** Each waiting request up to {@code mark} once the signals up to its time are applied. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        while (!requests.isEmpty() && requests.firstKey().at <= mark.getTimestamp()) {
            FactsRequest request = requests.pollFirstEntry().getValue();
            timeServiceManager.advanceWatermark(new Watermark(request.at));
            answer(request);
        }
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }

    private void learn(List<ProductSignal> signals) throws Exception {
        ProductSlice facts = slice.value();
        if (facts == null) {
            facts = new ProductSlice();
        }
        for (ProductSignal signal : signals) {
            slices.record(facts, signal);
        }
        slice.update(facts);
        ranking.put(signals.get(0).productId, facts);
    }

    private void answer(FactsRequest request) throws Exception {
        var task = getRuntimeContext().getTaskInfo();
        int subtask = task.getIndexOfThisSubtask();
        int subtasks = task.getNumberOfParallelSubtasks();
        int maxParallelism = task.getMaxNumberOfParallelSubtasks();
        FactsAnswer answer =
                FactsAnswer.of(
                        request,
                        ranking,
                        id -> {
                            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                            id, maxParallelism, subtasks)
                                    != subtask) {
                                return null;
                            }
                            setCurrentKey(id);
                            ProductSlice facts = valueOf();
                            return facts == null ? null : facts.category;
                        },
                        catalog.current(),
                        subtask,
                        subtasks);
        output.collect(new StreamRecord<>(answer, request.at));
    }

    private ProductSlice valueOf() {
        try {
            return slice.value();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read a product's facts", e);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointedRequests.update(new ArrayList<>(requests.keySet()));
    }
}
