package io.personalize.job.scoring;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.job.Descriptors;
import io.personalize.job.config.ModelSettings;
import io.personalize.models.ModelRegistryUpdate;
import io.personalize.models.ServingModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores customers with every serving model when their features change, in micro-batches: up to
 * {@code batch-size} customers (the latest features of each) or {@code batch-timeout} of processing
 * time, whichever comes first, scored with one ONNX Runtime call per model version ({@link
 * ServingModels}). A batch is also scored before each watermark goes on (so no score is late),
 * before each checkpoint barrier (so none is lost: nothing is pending in a checkpoint) and at the
 * end of input.
 *
 * <p>Not keyed: a batch spans customers. It runs right after the feature stage with the same
 * parallelism, so it sees those customers' features in order. Each subtask loads the registry
 * itself at start (the configured file, else the shipped models) and keeps what serves in operator
 * state, so a restored job serves the same model versions before any registry reading arrives.
 * Refusals are logged, counted ({@code models_refused}) and written as dead letters by subtask 0.
 */
public class ScoringOperator extends AbstractStreamOperator<CustomerScore>
        implements OneInputStreamOperator<CustomerFeatures, CustomerScore>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScoringOperator.class);
    public static final String STAGE = "scoring";

    private static final ListStateDescriptor<ModelRegistryUpdate> SERVING =
            new ListStateDescriptor<>(
                    "serving-models", TypeInformation.of(ModelRegistryUpdate.class));

    private final ModelSettings settings;

    protected transient ServingModels models;
    private transient Map<String, StreamRecord<CustomerFeatures>> batch;
    private transient boolean timerSet;
    private transient ListState<ModelRegistryUpdate> servingState;
    private transient ModelRegistryUpdate restored;
    private transient Counter scored;
    private transient Counter fallbacks;
    private transient Counter refused;
    private transient Histogram microsPerCustomer;
    private transient Histogram batchSizes;

    public ScoringOperator(ModelSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        servingState = context.getOperatorStateStore().getUnionListState(SERVING);
        if (context.isRestored()) {
            Iterator<ModelRegistryUpdate> states = servingState.get().iterator();
            restored = states.hasNext() ? states.next() : null;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        batch = new LinkedHashMap<>();
        var group = getMetricGroup().addGroup("personalize");
        scored = group.counter("scores");
        fallbacks = group.counter("score_fallbacks");
        refused = group.counter("models_refused");
        microsPerCustomer =
                group.histogram(
                        "scoring_micros_per_customer", new DescriptiveStatisticsHistogram(1000));
        batchSizes =
                group.histogram("scoring_batch_size", new DescriptiveStatisticsHistogram(1000));
        models = new ServingModels(settings.intraOpThreads());
        group.gauge("models_serving", () -> models.modelCount());
        if (restored != null) {
            // what served at the checkpoint; its refusals were reported before it
            List<String> refusals = models.apply(restored);
            refusals.forEach(r -> LOG.warn("Restored without a model that never loaded: {}", r));
            restored = null;
        } else {
            apply(initialReading());
        }
    }

    private ModelRegistryUpdate initialReading() {
        long now = System.currentTimeMillis();
        return settings.registryPath() == null
                ? ModelRegistryUpdate.shipped(now)
                : ModelRegistryUpdate.read(Path.of(settings.registryPath()), now);
    }

    /** Applies a registry reading; refusals are logged, counted and dead-lettered. */
    protected void apply(ModelRegistryUpdate update) {
        List<String> refusals = models.apply(update);
        for (String refusal : refusals) {
            refused.inc();
            LOG.warn(
                    "Refused from {}, the previous version keeps serving: {}",
                    update.source,
                    refusal);
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                DeadLetter letter =
                        DeadLetters.of(
                                DeadLetterReason.INVALID_MODEL,
                                refusal,
                                update.source,
                                update.fingerprint + refusal,
                                null,
                                update.readAt);
                letter.stage = STAGE;
                output.collect(Descriptors.DEAD_LETTERS, new StreamRecord<>(letter, update.readAt));
            }
        }
        if (update.hasContent()) {
            LOG.info("Models serving: {}", models.versions());
        }
    }

    @Override
    public void processElement(StreamRecord<CustomerFeatures> element) throws Exception {
        CustomerFeatures features = element.getValue();
        batch.remove(features.customerKey); // the latest features of a customer, in arrival order
        batch.put(features.customerKey, element);
        if (batch.size() >= settings.batchSize()) {
            flush();
        } else if (!timerSet) {
            timerSet = true;
            long at =
                    getProcessingTimeService().getCurrentProcessingTime()
                            + settings.batchTimeout().toMillis();
            getProcessingTimeService()
                    .registerTimer(
                            at,
                            time -> {
                                timerSet = false;
                                flush();
                            });
        }
    }

    /** Scores the pending batch. */
    protected void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<CustomerFeatures> features = new ArrayList<>(batch.size());
        Map<String, Long> timestamps = new LinkedHashMap<>();
        for (StreamRecord<CustomerFeatures> record : batch.values()) {
            features.add(record.getValue());
            timestamps.put(
                    record.getValue().customerKey,
                    record.hasTimestamp() ? record.getTimestamp() : Long.MIN_VALUE);
        }
        batch.clear();
        long started = System.nanoTime();
        List<CustomerScore> scores = models.score(features, System.currentTimeMillis());
        long micros = (System.nanoTime() - started) / 1000;
        batchSizes.update(features.size());
        microsPerCustomer.update(micros / features.size());
        for (CustomerScore score : scores) {
            scored.inc();
            if (score.fallback) {
                fallbacks.inc();
            }
            long timestamp = timestamps.get(score.customerKey);
            output.collect(
                    timestamp == Long.MIN_VALUE
                            ? new StreamRecord<>(score)
                            : new StreamRecord<>(score, timestamp));
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // every subtask serves the same: subtask 0 writes it, all read it back (union state)
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            servingState.update(List.of(models.servingState(System.currentTimeMillis())));
        } else {
            servingState.clear();
        }
    }

    @Override
    public void endInput() {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        if (models != null) {
            models.close();
        }
        super.close();
    }
}
