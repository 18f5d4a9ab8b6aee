package io.personalize.job.scoring;

import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.job.Descriptors;
import io.personalize.job.config.ModelSettings;
import io.personalize.job.customers.CustomerOperator;
import io.personalize.job.decisions.DecisionInput;
import io.personalize.job.features.DeclaredFeaturesPoller;
import io.personalize.job.features.FeatureReaders;
import io.personalize.job.features.ServingDeclaredFeatures;
import io.personalize.job.reload.Reloads;
import io.personalize.job.segments.SegmentDefinitionsPoller;
import io.personalize.job.segments.SegmentRulesUpdate;
import io.personalize.models.ModelRegistryUpdate;
import io.personalize.models.ServingModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
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
 * Scores each customer moment with every serving champion, in the customer's own order, and hands
 * it on with the scores of exactly those features ({@link DecisionInput}). Keyed by customer,
 * chained behind the feature stage.
 *
 * <p><b>Only what changed.</b> A customer is scored again only when a champion's input moved (or
 * the serving models changed) and, with {@code min-interval}, enough event time passed; otherwise
 * the moment carries the scores kept in keyed state. Inputs equal to the last ones give equal
 * scores (one thread per session), so this changes no score.
 *
 * <p><b>Micro-batched, in order.</b> Moments to score wait, with every later moment of the same
 * customers, until {@code batch-size} of them are due, the {@code batch-timeout} passes (processing
 * time), a watermark or checkpoint barrier comes, or the input ends; each model then scores the
 * batch with one ONNX Runtime call, and the moments leave in arrival order. A batch's make-up
 * changes only when scores are computed, never their values, so decisions do not depend on timing.
 * Challengers score the moments of a deterministic {@code shadow-fraction} of the customers. Every
 * score computed goes to {@link Descriptors#SCORES} (the scores table).
 *
 * <p>Each subtask loads the registry itself at start (the configured file, else the shipped models)
 * and keeps what serves in operator state, so a restored job serves the same model versions before
 * any registry reading arrives. Refusals are logged, counted ({@code models_refused}) and written
 * as dead letters by subtask 0.
 *
 * <p><b>Score segments.</b> Segments whose rules read scores ({@link ScoreSegments}) are evaluated
 * here, at each moment, right after it has its scores; their entries and exits go to {@link
 * Descriptors#SEGMENT_CHANGES} and into the moment.
 */
public class ScoringOperator extends AbstractStreamOperator<DecisionInput>
        implements OneInputStreamOperator<CustomerFeatures, DecisionInput>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScoringOperator.class);
    public static final String STAGE = "scoring";

    private static final ListStateDescriptor<ModelRegistryUpdate> SERVING =
            new ListStateDescriptor<>(
                    "serving-models", TypeInformation.of(ModelRegistryUpdate.class));

    /** The declared features applied while running (subtask 0's, the same on every subtask). */
    private static final ListStateDescriptor<String> DECLARED =
            new ListStateDescriptor<>("serving-declared-features", String.class);

    private final ModelSettings settings;
    private final io.personalize.core.segments.SegmentDefinitions segmentDefinitions;
    private String declaredPath;
    private long declaredPollMillis;
    private FeatureReaders readers;

    protected transient ServingModels models;
    private transient ValueState<ScoreMemo> memos;
    private transient List<Moment> batch;
    private transient Map<String, Moment> lastScoredInBatch;
    private transient int toScore;
    private transient boolean timerSet;
    private transient long minIntervalMillis;
    private transient long shadowThreshold;
    private transient ListState<ModelRegistryUpdate> servingState;
    private transient ModelRegistryUpdate restored;
    private transient Counter scored;
    private transient Counter reused;
    private transient Counter fallbacks;
    private transient Reloads reloads;
    private transient ModelsServing modelsServing;
    private transient Histogram microsPerCustomer;
    private transient Histogram batchSizes;
    private transient ScoreSegments scoreSegments;
    private transient ValueState<io.personalize.core.segments.SegmentState> segmentStates;
    private transient ListState<CustomerOperator.SegmentCount> segmentCounts;
    private transient ListState<String> declaredState;
    private transient DeclaredFeatures declared;
    private transient ModelRegistryUpdate lastReading;
    private transient boolean lastReadingRefused;
    private transient SegmentDefinitionsPoller declaredPoller;
    private transient ServingDeclaredFeatures declaredFeatures;
    private transient Reloads declaredReloads;

    /** A moment waiting in the batch; {@code sameAs} when it takes the scores of another. */
    private static final class Moment {
        final CustomerFeatures features;
        final long timestamp;
        final ServingModels.ChampionInputs inputs;
        final String models;
        Moment sameAs;
        Map<String, CustomerScore> champions;

        Moment(
                CustomerFeatures features,
                long timestamp,
                ServingModels.ChampionInputs inputs,
                String models) {
            this.features = features;
            this.timestamp = timestamp;
            this.inputs = inputs;
            this.models = models;
        }
    }

    public ScoringOperator(ModelSettings settings) {
        this(settings, null);
    }

    /**
     * @param segments the segment definitions, whose score segments this stage evaluates; null:
     *     none
     */
    public ScoringOperator(
            ModelSettings settings, io.personalize.core.segments.SegmentDefinitions segments) {
        this.settings = settings;
        this.segmentDefinitions = segments;
    }

    /**
     * Reads the declared-features file at {@code path} every {@code pollInterval} and applies a
     * change to the models: later cards are loaded against the registry with it, and releases
     * refused before are offered again (a card may name a feature only the change adds). A change
     * that removes or retypes a feature a serving card reads, or one {@code readers} name (segments
     * and flows as their files say), is refused, logged and counted (the customer stage writes the
     * dead letters of declared features).
     */
    public ScoringOperator withDeclaredFeatures(
            String path, Duration pollInterval, FeatureReaders readers) {
        this.declaredPath = path;
        this.readers = readers;
        this.declaredPollMillis = pollInterval.toMillis();
        return this;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        declaredState = context.getOperatorStateStore().getUnionListState(DECLARED);
        declared = settings.declared();
        for (String text : declaredState.get()) {
            DeclaredFeatures fromState = DeclaredFeatures.parse(text);
            if (fromState.version() > declared.version()) {
                declared = fromState;
            }
        }
        servingState = context.getOperatorStateStore().getUnionListState(SERVING);
        segmentCounts =
                context.getOperatorStateStore().getListState(Descriptors.SCORE_SEGMENT_COUNTS);
        if (context.isRestored()) {
            Iterator<ModelRegistryUpdate> states = servingState.get().iterator();
            restored = states.hasNext() ? states.next() : null;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        memos = getPartitionedState(Descriptors.SCORE_MEMO);
        batch = new ArrayList<>();
        lastScoredInBatch = new HashMap<>();
        minIntervalMillis = settings.minInterval().toMillis();
        shadowThreshold = (long) (settings.shadowFraction() * (1L << 53));
        var group = getMetricGroup().addGroup("personalize");
        scored = group.counter("scores");
        reused = group.counter("scores_reused");
        fallbacks = group.counter("score_fallbacks");
        microsPerCustomer =
                group.histogram(
                        "scoring_micros_per_customer", new DescriptiveStatisticsHistogram(1000));
        batchSizes =
                group.histogram("scoring_batch_size", new DescriptiveStatisticsHistogram(1000));
        scoreSegments =
                new ScoreSegments(
                        segmentDefinitions, settings.declared().registry(), getMetricGroup());
        if (scoreSegments.any()) {
            segmentStates = getPartitionedState(Descriptors.SCORE_SEGMENTS);
            for (CustomerOperator.SegmentCount count : segmentCounts.get()) {
                scoreSegments.restore(count.segmentId, count.members, count.unknown);
            }
        }
        models = new ServingModels(settings.intraOpThreads(), declared.registry());
        group.gauge("models_serving", () -> models.modelCount());
        modelsServing = new ModelsServing(models);
        reloads =
                new Reloads(
                        "models",
                        DeadLetterReason.INVALID_MODEL,
                        STAGE,
                        LOG,
                        group.counter("models_refused"),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        letter ->
                                output.collect(
                                        Descriptors.DEAD_LETTERS,
                                        new StreamRecord<>(letter, letter.ingestedAt)));
        if (restored != null) {
            // what served at the checkpoint; its refusals were reported before it
            List<String> refusals = models.apply(restored);
            refusals.forEach(r -> LOG.warn("Restored without a model that never loaded: {}", r));
            restored = null;
        } else {
            apply(initialReading());
        }
        if (declaredPath != null) {
            watchDeclared(group);
        }
    }

    private void watchDeclared(MetricGroup group) {
        declaredPoller = DeclaredFeaturesPoller.poller(Path.of(declaredPath));
        declaredFeatures =
                new ServingDeclaredFeatures(declared, this::cardReaders, this::applyDeclared);
        declaredReloads =
                new Reloads(
                        "declared features",
                        DeadLetterReason.INVALID_DECLARED_FEATURES,
                        STAGE,
                        LOG,
                        group.counter("declared_features_refused"),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        letter -> {
                            // the customer stage, which computes the features, writes them
                        });
        scheduleDeclaredPoll();
    }

    private java.util.Map<String, java.util.Set<String>> cardReaders() {
        java.util.Map<String, java.util.Set<String>> readers = new java.util.TreeMap<>();
        models.cards().forEach(card -> readers.putAll(FeatureReaders.card(card)));
        return this.readers == null ? readers : this.readers.all(declared.registry(), readers);
    }

    /**
     * Serves changed declared features: the batch waiting is scored first, then later cards load
     * against the registry with them and a reading that had refusals is offered again.
     */
    private void applyDeclared(DeclaredFeatures next) throws Exception {
        flush();
        declared = next;
        models.withRegistry(next.registry());
        if (lastReading != null && lastReadingRefused) {
            apply(lastReading);
        }
    }

    private void scheduleDeclaredPoll() {
        long next = getProcessingTimeService().getCurrentProcessingTime() + declaredPollMillis;
        getProcessingTimeService()
                .registerTimer(
                        next,
                        time -> {
                            SegmentRulesUpdate reading = declaredPoller.map(0L);
                            declaredReloads.offer(
                                    reading.source, reading.readAt, declaredFeatures, reading);
                            scheduleDeclaredPoll();
                        });
    }

    private ModelRegistryUpdate initialReading() {
        long now = System.currentTimeMillis();
        return settings.registryPath() == null
                ? ModelRegistryUpdate.shipped(now)
                : ModelRegistryUpdate.read(Path.of(settings.registryPath()), now);
    }

    /** Applies a registry reading; refusals are logged, counted and dead-lettered. */
    protected void apply(ModelRegistryUpdate update) throws Exception {
        lastReading = update;
        lastReadingRefused =
                !reloads.offer(update.source, update.readAt, modelsServing, update)
                        .refusals()
                        .isEmpty();
    }

    @Override
    public void processElement(StreamRecord<CustomerFeatures> element) throws Exception {
        CustomerFeatures features = element.getValue();
        if (features.erased) {
            erase(features, element);
            return;
        }
        Moment moment =
                new Moment(
                        features,
                        element.hasTimestamp() ? element.getTimestamp() : Long.MIN_VALUE,
                        models.championInputs(features),
                        models.fingerprint());
        Moment pending = lastScoredInBatch.get(features.customerKey);
        if (pending != null) {
            // behind a moment of the same customer still in the batch: keep the order
            if (unchanged(
                    pending.models,
                    pending.inputs.floats(),
                    pending.inputs.others(),
                    pending.features.asOf,
                    moment)) {
                moment.sameAs = pending;
            } else {
                lastScoredInBatch.put(features.customerKey, moment);
                toScore++;
            }
            batch.add(moment);
        } else {
            ScoreMemo memo = memos.value();
            if (memo != null
                    && unchanged(
                            memo.models, memo.inputs, memo.typedInputs, memo.scoredAsOf, moment)) {
                reused.inc();
                emit(moment, memo.champions);
                return;
            }
            lastScoredInBatch.put(features.customerKey, moment);
            toScore++;
            batch.add(moment);
        }
        if (toScore >= settings.batchSize()) {
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

    /**
     * An erased customer: the moments before the marker are scored and handed on first (the order
     * of a customer's moments holds), then the memo goes and the marker follows, to the decisions
     * and to the scores table's writer.
     */
    private void erase(CustomerFeatures marker, StreamRecord<CustomerFeatures> element)
            throws Exception {
        if (lastScoredInBatch.containsKey(marker.customerKey)) {
            flush();
        }
        memos.clear();
        if (scoreSegments.any()) {
            scoreSegments.erase(segmentStates);
        }
        CustomerScore erased = new CustomerScore();
        erased.customerKey = marker.customerKey;
        erased.asOf = marker.asOf;
        erased.erased = true;
        output.collect(Descriptors.SCORES, new StreamRecord<>(erased, marker.asOf));
        DecisionInput input = DecisionInput.of(marker, Map.of());
        output.collect(
                element.hasTimestamp()
                        ? new StreamRecord<>(input, element.getTimestamp())
                        : new StreamRecord<>(input));
    }

    /** Whether a moment may take the scores computed from {@code inputs} by {@code models}. */
    private boolean unchanged(
            String models, float[] inputs, byte[] typedInputs, long scoredAsOf, Moment moment) {
        if (!java.util.Objects.equals(models, moment.models)) {
            return false;
        }
        return moment.inputs.sameAs(inputs, typedInputs)
                || moment.features.asOf - scoredAsOf < minIntervalMillis;
    }

    /** Scores the moments waiting and hands every one on, in arrival order. */
    protected void flush() throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        List<CustomerFeatures> due = new ArrayList<>(toScore);
        for (Moment moment : batch) {
            if (moment.sameAs == null) {
                due.add(moment.features);
            }
        }
        long started = System.nanoTime();
        ServingModels.BatchScores scores =
                models.score(due, System.currentTimeMillis(), this::shadowed);
        long micros = (System.nanoTime() - started) / 1000;
        batchSizes.update(due.size());
        microsPerCustomer.update(micros / due.size());
        for (CustomerScore score : scores.all()) {
            scored.inc();
            if (score.fallback) {
                fallbacks.inc();
            }
            output.collect(Descriptors.SCORES, new StreamRecord<>(score, score.asOf));
        }
        int next = 0;
        for (Moment moment : batch) {
            if (moment.sameAs == null || scoreSegments.any()) {
                setCurrentKey(moment.features.customerKey); // for the memo, the score segments
            }
            if (moment.sameAs == null) {
                moment.champions = scores.champions().get(next++);
                memos.update(
                        new ScoreMemo(
                                moment.models,
                                moment.inputs,
                                moment.features.asOf,
                                moment.champions));
            } else {
                reused.inc();
                moment.champions = moment.sameAs.champions;
            }
            emit(moment, moment.champions);
        }
        batch.clear();
        lastScoredInBatch.clear();
        toScore = 0;
    }

    /** Hands a moment on with its scores and score segments; the current key is its customer. */
    private void emit(Moment moment, Map<String, CustomerScore> champions) throws Exception {
        CustomerFeatures features = moment.features;
        if (scoreSegments.any()) {
            features =
                    scoreSegments.evaluate(
                            features,
                            champions,
                            segmentStates,
                            change ->
                                    output.collect(
                                            Descriptors.SEGMENT_CHANGES,
                                            new StreamRecord<>(change, change.eventTime)));
        }
        DecisionInput input = DecisionInput.of(features, champions);
        output.collect(
                moment.timestamp == Long.MIN_VALUE
                        ? new StreamRecord<>(input)
                        : new StreamRecord<>(input, moment.timestamp));
    }

    /** A fixed share of customers, by a hash of the customer key: the same in every run. */
    private boolean shadowed(CustomerFeatures features) {
        long h = features.customerKey.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return shadowThreshold >= (1L << 53) || (h >>> 11) < shadowThreshold;
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
        segmentCounts.clear();
        if (scoreSegments.any()) {
            for (Map.Entry<String, long[]> e : scoreSegments.counts().entrySet()) {
                segmentCounts.add(
                        new CustomerOperator.SegmentCount(
                                e.getKey(), e.getValue()[0], e.getValue()[1]));
            }
        }
        // every subtask serves the same: subtask 0 writes it, all read it back (union state)
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            servingState.update(List.of(models.servingState(System.currentTimeMillis())));
            if (declared != settings.declared()) {
                declaredState.update(List.of(declared.source()));
            }
        } else {
            servingState.clear();
            declaredState.clear();
        }
    }

    @Override
    public void endInput() throws Exception {
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
