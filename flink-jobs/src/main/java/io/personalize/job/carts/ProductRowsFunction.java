package io.personalize.job.carts;

import io.personalize.core.recommend.ProductRequest;
import io.personalize.core.recommend.ProductSignal;
import io.personalize.core.recommend.ProductSlice;
import io.personalize.core.recommend.ProductSlices;
import io.personalize.core.recommend.SeedRow;
import io.personalize.job.config.CartSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The co-occurrence rows of the model partitioned by product, keyed by product: each product's
 * {@link ProductSlice} learns from its {@link ProductSignal}s (first input) and answers the {@link
 * ProductRequest}s of recommendations (second input) with its row as of their time ({@link
 * SeedRow}).
 *
 * <p><b>In event-time order.</b> Signals and requests wait in keyed state until the watermark
 * passes their time; then the signals of that instant are applied in {@link ProductSignal#ORDER}
 * and the requests answered, by request id. So a row answers with exactly the interactions up to
 * the request's time, whatever the timing and the parallelism. What comes after the watermark
 * passed it (later than the allowed out-of-orderness) is applied or answered at once.
 */
public final class ProductRowsFunction
        extends KeyedCoProcessFunction<String, ProductSignal, ProductRequest, SeedRow> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<ProductRequest> REQUEST_ORDER =
            Comparator.comparing(r -> r.requestId);

    private final CartSettings settings;

    private transient ProductSlices slices;
    private transient ValueState<ProductSlice> slice;
    private transient MapState<Long, List<ProductSignal>> signalsAt;
    private transient MapState<Long, List<ProductRequest>> requestsAt;

    public ProductRowsFunction(CartSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        slices = new ProductSlices(settings.recommendationHalfLife(), settings.maxNeighbours());
        slice =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "product-row", TypeInformation.of(ProductSlice.class)));
        signalsAt =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "waiting-signals",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(ProductSignal.class))));
        requestsAt =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "waiting-requests",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(ProductRequest.class))));
    }

    @Override
    public void processElement1(ProductSignal signal, Context ctx, Collector<SeedRow> out)
            throws Exception {
        if (signal.at <= ctx.timerService().currentWatermark()) {
            learn(List.of(signal)); // late: its place in the order has passed
            return;
        }
        List<ProductSignal> waiting = signalsAt.get(signal.at);
        if (waiting == null) {
            waiting = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(signal.at);
        }
        waiting.add(signal);
        signalsAt.put(signal.at, waiting);
    }

    @Override
    public void processElement2(ProductRequest request, Context ctx, Collector<SeedRow> out)
            throws Exception {
        if (request.at <= ctx.timerService().currentWatermark()) {
            out.collect(SeedRow.of(request, slice.value(), slices));
            return;
        }
        List<ProductRequest> waiting = requestsAt.get(request.at);
        if (waiting == null) {
            waiting = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(request.at);
        }
        waiting.add(request);
        requestsAt.put(request.at, waiting);
    }

    /** The instant {@code at}: its signals, then its requests. */
    @Override
    public void onTimer(long at, OnTimerContext ctx, Collector<SeedRow> out) throws Exception {
        List<ProductSignal> signals = signalsAt.get(at);
        if (signals != null) {
            signalsAt.remove(at);
            signals.sort(ProductSignal.ORDER);
            learn(signals);
        }
        List<ProductRequest> requests = requestsAt.get(at);
        if (requests != null) {
            requestsAt.remove(at);
            requests.sort(REQUEST_ORDER);
            ProductSlice row = slice.value();
            for (ProductRequest request : requests) {
                out.collect(SeedRow.of(request, row, slices));
            }
        }
    }

    private void learn(List<ProductSignal> signals) throws Exception {
        ProductSlice row = slice.value();
        if (row == null) {
            row = new ProductSlice();
        }
        for (ProductSignal signal : signals) {
            slices.record(row, signal);
        }
        slice.update(row);
    }
}
