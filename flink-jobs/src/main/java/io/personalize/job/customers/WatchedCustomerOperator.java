package io.personalize.job.customers;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.segments.CompiledSegments;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.segments.SegmentValidationException;
import io.personalize.job.Descriptors;
import io.personalize.job.features.FeatureReaders;
import io.personalize.job.features.ServingDeclaredFeatures;
import io.personalize.job.reload.Offer;
import io.personalize.job.reload.Reloads;
import io.personalize.job.reload.Serving;
import io.personalize.job.segments.SegmentRulesUpdate;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CustomerOperator} with a second input of segment definition updates, broadcast to every
 * subtask. A valid update with a higher version is applied to every customer at once; anything else
 * is refused ({@link Reloads}: logged, counted, and a dead letter written by subtask 0) while the
 * serving version stays. The same input carries readings of a watched suppression list (already
 * hashed): a changed list is applied to every customer at once, a refused one (a dead letter of
 * stage {@code suppression}) leaves the previous list serving. Readings of the declared-features
 * file come the same way ({@link ServingDeclaredFeatures}): a change applies to every customer at
 * once, and a refused one (stage {@code features}) leaves the previous features serving; a segment
 * definitions reading refused because it names a feature only a later features file adds is judged
 * again once that file applies. Updates carry no event time: the second input is idle for
 * watermarks, so it never holds back the customers' timers, nor moves them on its own.
 */
public class WatchedCustomerOperator extends CustomerOperator
        implements TwoInputStreamOperator<Event, SegmentRulesUpdate, CustomerFeatures> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "segments";
    public static final String SUPPRESSION_STAGE = "suppression";
    public static final String FEATURES_STAGE = "features";

    /** Index of the second input (the updates) in the operator's combined watermark. */
    private static final int UPDATES_INPUT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(WatchedCustomerOperator.class);

    private FeatureReaders featureReaders;

    private transient Reloads reloads;
    private transient SegmentDefinitionsServing segmentDefinitions;
    private transient String lastSuppressionReading;
    private transient Reloads declaredReloads;
    private transient ServingDeclaredFeatures declaredFeatures;

    public WatchedCustomerOperator(
            FeatureEngine engine,
            Duration stateTtl,
            Long endOfTime,
            SegmentDefinitions configuredSegments) {
        super(engine, stateTtl, endOfTime, configuredSegments);
    }

    /**
     * Declared-features readings (on the same input) are judged against the flows and model cards
     * of {@code readers} too, besides the serving segments: they may not remove or retype a feature
     * any of them reads.
     */
    public WatchedCustomerOperator withFeatureReaders(FeatureReaders readers) {
        this.featureReaders = readers;
        return this;
    }

    @Override
    public void open() throws Exception {
        super.open();
        // Only the events decide event time: the second input counts as idle for good. (Fed a
        // watermark of +inf instead, it would make the combined watermark +inf whenever the
        // events go idle, firing every timer and moving every customer to the end of time.)
        super.processWatermarkStatus(WatermarkStatus.IDLE, UPDATES_INPUT);
        segmentDefinitions = new SegmentDefinitionsServing();
        reloads =
                new Reloads(
                        "segment definitions",
                        DeadLetterReason.INVALID_SEGMENT_RULES,
                        STAGE,
                        LOG,
                        metrics.refusedCounter(),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        letter ->
                                output.collect(
                                        Descriptors.DEAD_LETTERS,
                                        new StreamRecord<>(letter, letter.ingestedAt)));
        declaredFeatures =
                new ServingDeclaredFeatures(
                        engine.declared(), this::featureReaders, this::applyDeclared);
        declaredReloads =
                new Reloads(
                        "declared features",
                        DeadLetterReason.INVALID_DECLARED_FEATURES,
                        FEATURES_STAGE,
                        LOG,
                        getMetricGroup()
                                .addGroup("personalize")
                                .counter("declared_features_refused"),
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        letter ->
                                output.collect(
                                        Descriptors.DEAD_LETTERS,
                                        new StreamRecord<>(letter, letter.ingestedAt)));
    }

    /** The serving segments, and the flows and model cards the files name. */
    private Map<String, Set<String>> featureReaders() {
        Map<String, Set<String>> readers =
                new TreeMap<>(FeatureReaders.segments(segments.segments()));
        if (featureReaders != null) {
            readers.putAll(
                    featureReaders.flowsAndCards(
                            engine.declared().registry(), segments.segments().definitions()));
        }
        return readers;
    }

    /**
     * Applies judged declared features to every customer; a segment definitions reading refused
     * before (one naming a feature only these add) is judged again at its next poll.
     */
    private void applyDeclared(DeclaredFeatures next) throws Exception {
        serveDeclared(next);
        segmentDefinitions.lastRefused = null;
    }

    @Override
    public void processElement1(StreamRecord<Event> element) throws Exception {
        processElement(element);
    }

    @Override
    public void processElement2(StreamRecord<SegmentRulesUpdate> element) throws Exception {
        SegmentRulesUpdate update = element.getValue();
        if (update.isSuppressionList()) {
            suppressionList(update);
            return;
        }
        if (update.isDeclaredFeatures()) {
            declaredReloads.offer(update.source, update.readAt, declaredFeatures, update);
            return;
        }
        reloads.offer(update.source, update.readAt, segmentDefinitions, update);
    }

    /**
     * The segment definitions this subtask serves: a valid update with a higher version is applied
     * to every customer at once; the same reading refused before is let pass quietly.
     */
    /**
     * Why an update may not serve because it changes the score segments (added, removed or with
     * another rule; the scoring stage reads them from the configured definitions at start), or null
     * when it leaves them as they are.
     */
    static String scoreSegmentsChange(CompiledSegments serving, CompiledSegments next) {
        if (scoreSegmentDefinitions(serving).equals(scoreSegmentDefinitions(next))) {
            return null;
        }
        return "segment definitions change the score segments (serving "
                + serving.scoreSegments()
                + ", update "
                + next.scoreSegments()
                + "): score segments are evaluated in the scoring stage from the definitions the"
                + " job started with; restart the job to change them";
    }

    private static java.util.Map<String, io.personalize.core.segments.SegmentDefinition>
            scoreSegmentDefinitions(CompiledSegments compiled) {
        java.util.Map<String, io.personalize.core.segments.SegmentDefinition> byId =
                new java.util.TreeMap<>();
        java.util.Set<String> scored = new HashSet<>(compiled.scoreSegments());
        compiled.definitions().segments().stream()
                .filter(d -> scored.contains(d.id()))
                .forEach(d -> byId.put(d.id(), d));
        return byId;
    }

    private final class SegmentDefinitionsServing implements Serving<SegmentRulesUpdate> {
        private String lastRefused;

        @Override
        public Offer offer(SegmentRulesUpdate update) throws Exception {
            String reading = update.text != null ? update.text : update.error;
            if (Objects.equals(reading, lastRefused)) {
                return Offer.unchanged(); // refused already; polled again unchanged
            }
            if (update.text == null) {
                return refuse(reading, update.error);
            }
            CompiledSegments next;
            try {
                next = compiler().compile(update.text);
            } catch (SegmentValidationException e) {
                return refuse(reading, e.getMessage());
            }
            if (next.definitions().equals(segments.segments().definitions())) {
                lastRefused = null;
                return Offer.unchanged(); // what serves already
            }
            String scoreSegmentsChange = scoreSegmentsChange(segments.segments(), next);
            if (scoreSegmentsChange != null) {
                return refuse(reading, scoreSegmentsChange);
            }
            if (next.version() <= segments.version()) {
                return refuse(
                        reading,
                        "segment definitions changed but their version "
                                + next.version()
                                + " is not above the serving version "
                                + segments.version()
                                + "; raise version to apply them");
            }
            lastRefused = null;
            serve(next);
            return Offer.accepted();
        }

        @Override
        public Object version() {
            return segments.version();
        }

        private Offer refuse(String reading, String message) {
            lastRefused = reading;
            return Offer.refused(message, reading);
        }
    }

    /**
     * A reading of the suppression list (already hashed by the poller): a changed list is applied
     * to every customer; a refused file (its message names the lines) leaves the previous list
     * serving.
     */
    private void suppressionList(SegmentRulesUpdate update) throws Exception {
        String reading = update.text != null ? update.text : update.error;
        if (Objects.equals(reading, lastSuppressionReading)) {
            return; // applied or refused already; polled again unchanged
        }
        lastSuppressionReading = reading;
        if (update.text == null) {
            LOG.warn(
                    "Refused the suppression list from {}; the previous list ({} addresses) keeps"
                            + " serving: {}",
                    update.source,
                    suppression.size(),
                    update.error);
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                DeadLetter letter =
                        DeadLetters.refusedReading(
                                DeadLetterReason.INVALID_SUPPRESSION_LIST,
                                SUPPRESSION_STAGE,
                                update.error,
                                update.source,
                                update.error, // the lines refused, never their content
                                update.readAt);
                output.collect(Descriptors.DEAD_LETTERS, new StreamRecord<>(letter, update.readAt));
            }
            return;
        }
        Set<String> next = new HashSet<>();
        for (String hash : update.text.split("\n")) {
            if (!hash.isEmpty()) {
                next.add(hash);
            }
        }
        if (next.equals(suppression)) {
            return;
        }
        LOG.info(
                "Applying the suppression list from {} to every customer: {} addresses (were {})",
                update.source,
                next.size(),
                suppression.size());
        serveSuppression(next);
    }

    @Override
    public void processWatermark2(Watermark mark) {
        // updates carry no event time (see the class comment)
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int input) throws Exception {
        if (input != UPDATES_INPUT) { // the updates input stays idle for good (see open)
            super.processWatermarkStatus(status, input);
        }
    }
}
