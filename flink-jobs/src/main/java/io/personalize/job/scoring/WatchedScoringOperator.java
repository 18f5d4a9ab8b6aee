package io.personalize.job.scoring;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.job.config.ModelSettings;
import io.personalize.job.decisions.DecisionInput;
import io.personalize.models.ModelRegistryUpdate;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * {@link ScoringOperator} with a second input of model registry readings, broadcast to every
 * subtask: a changed release is validated before it serves, a failing one is refused and the
 * previous one keeps serving. Readings carry no event time: the second input is idle for
 * watermarks.
 */
public class WatchedScoringOperator extends ScoringOperator
        implements TwoInputStreamOperator<CustomerFeatures, ModelRegistryUpdate, DecisionInput>,
                BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    public WatchedScoringOperator(ModelSettings settings) {
        this(settings, null);
    }

    public WatchedScoringOperator(
            ModelSettings settings, io.personalize.core.segments.SegmentDefinitions segments) {
        super(settings, segments);
    }

    @Override
    public void open() throws Exception {
        super.open();
        // the second input's watermark is +inf for good: only the features decide event time
        super.processWatermark2(Watermark.MAX_WATERMARK);
    }

    @Override
    public void processElement1(StreamRecord<CustomerFeatures> element) throws Exception {
        processElement(element);
    }

    @Override
    public void processElement2(StreamRecord<ModelRegistryUpdate> element) throws Exception {
        ModelRegistryUpdate update = element.getValue();
        if (update.hasContent()) {
            flush(); // the pending batch is scored by the models it waited for
            apply(update);
        }
    }

    @Override
    public void processWatermark2(Watermark mark) {
        // readings carry no event time (see the class comment)
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 1) {
            flush();
        }
    }
}
