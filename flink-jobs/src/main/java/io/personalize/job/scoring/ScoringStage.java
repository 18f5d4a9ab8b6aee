package io.personalize.job.scoring;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentChange;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.Descriptors;
import io.personalize.job.Operators;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.ModelSettings;
import io.personalize.job.decisions.DecisionInput;
import io.personalize.job.features.FeatureReaders;
import io.personalize.models.ModelRegistryUpdate;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The scoring stage of the graph: the customers' moments with their champion scores ({@link
 * ScoringOperator}), chained to the feature stage and keyed as it is.
 *
 * <pre>
 * features -> scoring (ONNX, micro-batched) + score segments -> moments (to the decisions)
 *   (model registry readings, broadcast) -/  |-> scores
 *                                            |-> score segments entered and left
 *                                            |-> refused models: dead letters
 * </pre>
 *
 * <p>With a watched registry, a second input of registry readings broadcast to every subtask
 * ({@link WatchedScoringOperator}). Without models, the moments carry no scores and there are
 * neither scores nor dead letters, and score segments are not evaluated (nor are they in a batch
 * replay, which does not score).
 *
 * <pre>{@code
 * ScoringStage.Outputs scoring = ScoringStage.build(features, settings.models(), settings.segments());
 * }</pre>
 */
public final class ScoringStage {
    private ScoringStage() {}

    /**
     * @param moments every moment of every customer, with its champion scores
     * @param scores every score computed; empty without models
     * @param deadLetters the refused model releases; empty without models
     * @param segmentChanges score segments entered and left; empty without models
     */
    public record Outputs(
            DataStream<DecisionInput> moments,
            Optional<DataStream<CustomerScore>> scores,
            Optional<DataStream<DeadLetter>> deadLetters,
            Optional<DataStream<SegmentChange>> segmentChanges) {}

    public static Outputs build(
            KeyedStream<CustomerFeatures, String> features, ModelSettings models) {
        return build(features, models, null);
    }

    /**
     * @param segments the segment definitions, whose score segments the stage evaluates; null: none
     */
    public static Outputs build(
            KeyedStream<CustomerFeatures, String> features,
            ModelSettings models,
            SegmentDefinitions segments) {
        return build(features, models, segments, null, null);
    }

    /**
     * @param declared the watched declared-features file, read by each scoring subtask on its own
     *     timer; null when it is not watched
     * @param readers the segments, flows and cards a declared-features change is judged by
     */
    public static Outputs build(
            KeyedStream<CustomerFeatures, String> features,
            ModelSettings models,
            SegmentDefinitions segments,
            JobSettings.DeclaredWatch declared,
            FeatureReaders readers) {
        TypeInformation<DecisionInput> type = TypeInformation.of(DecisionInput.class);
        if (!models.enabled()) {
            DataStream<DecisionInput> moments =
                    features.map(f -> DecisionInput.of(f, Map.of()), type)
                            .uid(Operators.SCORING_UID)
                            .name("Moments without scores");
            return new Outputs(moments, Optional.empty(), Optional.empty(), Optional.empty());
        }
        SingleOutputStreamOperator<DecisionInput> moments;
        if (models.watches()) {
            DataStream<ModelRegistryUpdate> readings =
                    ModelRegistryPoller.stream(
                            features.getExecutionEnvironment(),
                            Path.of(models.registryPath()),
                            models.pollInterval());
            moments =
                    features.connect(readings.broadcast())
                            .transform(
                                    Operators.SCORING_NAME,
                                    type,
                                    watching(
                                            new WatchedScoringOperator(models, segments),
                                            declared,
                                            readers))
                            .uid(Operators.SCORING_UID);
        } else {
            moments =
                    features.transform(
                                    Operators.SCORING_NAME,
                                    type,
                                    watching(
                                            new ScoringOperator(models, segments),
                                            declared,
                                            readers))
                            .uid(Operators.SCORING_UID);
        }
        return new Outputs(
                moments,
                Optional.of(moments.getSideOutput(Descriptors.SCORES)),
                Optional.of(moments.getSideOutput(Descriptors.DEAD_LETTERS)),
                Optional.of(moments.getSideOutput(Descriptors.SEGMENT_CHANGES)));
    }

    private static <T extends ScoringOperator> T watching(
            T operator, JobSettings.DeclaredWatch declared, FeatureReaders readers) {
        if (declared != null) {
            operator.withDeclaredFeatures(declared.path(), declared.pollInterval(), readers);
        }
        return operator;
    }
}
